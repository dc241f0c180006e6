using System.Data.Common;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Enterprises;

internal sealed class EnterpriseRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string CreditCode { get; set; } = "";
    public string Industry { get; set; } = "";
    public int Employees { get; set; }
    public long AnnualRevenueFen { get; set; }
    public long TotalAssetsFen { get; set; }
    public string Region { get; set; } = "";
    public string Size { get; set; } = "";
    public Instant CreatedAt { get; set; }
}

internal sealed class MembershipRow
{
    public string EnterpriseId { get; set; } = "";
    public string ChainId { get; set; } = "";
    public string ChainName { get; set; } = "";
    public string Role { get; set; } = "";
}

/// <summary>Enterprises, their size and their chain memberships.</summary>
public sealed class EnterpriseStore(Db db, AuditLog audit, IClock clock)
{
    private const string SelectEnterprise = """
        SELECT id, name, credit_code AS CreditCode, industry, employees, annual_revenue_fen AS AnnualRevenueFen,
               total_assets_fen AS TotalAssetsFen, region, size, created_at AS CreatedAt
        FROM enterprises
        """;

    internal const string GetSql = SelectEnterprise + " WHERE id = @Id";
    internal const string ListSql = SelectEnterprise + " WHERE id > @After ORDER BY id {limit}";
    internal const string MembershipsSql = """
        SELECT m.enterprise_id AS EnterpriseId, m.chain_id AS ChainId, c.name AS ChainName, m.role
        FROM chain_members m JOIN chains c ON c.id = m.chain_id
        WHERE m.enterprise_id IN @Ids
        ORDER BY m.chain_id
        """;
    internal const string CreditCodeExistsSql = "SELECT COUNT(*) FROM enterprises WHERE credit_code = @CreditCode";
    internal const string ChainExistsSql = "SELECT COUNT(*) FROM chains WHERE id = @Id";
    internal const string ChainNameSql = "SELECT name FROM chains WHERE id = @Id";
    internal const string MemberExistsSql = "SELECT COUNT(*) FROM chain_members WHERE chain_id = @ChainId AND enterprise_id = @EnterpriseId";

    internal const string InsertSql = """
        INSERT INTO enterprises (id, name, credit_code, industry, employees, annual_revenue_fen, total_assets_fen, region, size, created_at)
        VALUES (@Id, @Name, @CreditCode, @Industry, @Employees, @AnnualRevenueFen, @TotalAssetsFen, @Region, @Size, @CreatedAt)
        """;

    internal const string InsertMembershipSql = "INSERT INTO chain_members (chain_id, enterprise_id, role, since) VALUES (@ChainId, @EnterpriseId, @Role, @Since)";

    public async Task<EnterpriseResponse> CreateAsync(CreateEnterpriseRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var chains = request.Chains ?? [];
        var duplicate = chains.GroupBy(c => c.ChainId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FieldValidationException("chains", EnterpriseCodes.ChainListedTwice, duplicate.Key);
        }

        var figures = new EnterpriseFigures(request.Employees, Money.FromYuan(request.AnnualRevenue), Money.FromYuan(request.TotalAssets));
        var size = SmeClassifier.Classify(request.Industry, figures);
        var now = clock.GetCurrentInstant();
        var row = new EnterpriseRow
        {
            Id = Ids.New("ent"),
            Name = request.Name.Trim(),
            CreditCode = CreditCode.Parse(request.CreditCode).Value,
            Industry = EnumText.Of(request.Industry),
            Employees = request.Employees,
            AnnualRevenueFen = figures.AnnualRevenue.Fen,
            TotalAssetsFen = figures.TotalAssets.Fen,
            Region = request.Region,
            Size = EnumText.Of(size),
            CreatedAt = now,
        };

        var chainNames = new string[chains.Count];
        try
        {
            await db.InTransactionAsync(async (connection, transaction) =>
            {
                if (await connection.ExecuteScalarAsync<long>(CreditCodeExistsSql, new { row.CreditCode }, transaction) > 0)
                {
                    throw new ConflictException(EnterpriseCodes.EnterpriseCreditCodeTaken);
                }

                for (var i = 0; i < chains.Count; i++)
                {
                    chainNames[i] = await connection.ExecuteScalarAsync<string?>(ChainNameSql, new { Id = chains[i].ChainId }, transaction)
                        ?? throw new FieldValidationException($"chains[{i}].chainId", EnterpriseCodes.NoSuchChain);
                }

                await connection.ExecuteAsync(InsertSql, row, transaction);
                foreach (var membership in chains)
                {
                    await connection.ExecuteAsync(InsertMembershipSql, new { membership.ChainId, EnterpriseId = row.Id, Role = EnumText.Of(membership.Role), Since = now }, transaction);
                }

                await audit.AppendAsync(transaction, caller, "enterprise.created", "enterprise", row.Id,
                    new { row.Name, row.CreditCode, row.Industry, row.Size, chains = chains.Select(c => new { c.ChainId, role = EnumText.Of(c.Role) }) });
                return 0;
            }, cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            throw new ConflictException(EnterpriseCodes.EnterpriseCreditCodeTaken);
        }

        return ToResponse(row, chains.Select((c, i) => new ChainMembershipResponse(c.ChainId, chainNames[i], c.Role)).ToList(), confidential: true);
    }

    /// <summary>Adds the enterprise to a chain (admin); 409 when it is already a member.</summary>
    public async Task<EnterpriseResponse> JoinChainAsync(string enterpriseId, ChainMembershipRequest request, Caller caller, CancellationToken cancellationToken)
    {
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.QuerySingleOrDefaultAsync<EnterpriseRow>(GetSql, new { Id = enterpriseId }, transaction) is null)
            {
                throw new NotFoundException("enterprise");
            }

            if (await connection.ExecuteScalarAsync<long>(ChainExistsSql, new { Id = request.ChainId }, transaction) == 0)
            {
                throw new FieldValidationException("chainId", EnterpriseCodes.NoSuchChain);
            }

            if (await connection.ExecuteScalarAsync<long>(MemberExistsSql, new { request.ChainId, EnterpriseId = enterpriseId }, transaction) > 0)
            {
                throw new ConflictException(EnterpriseCodes.AlreadyMember);
            }

            await connection.ExecuteAsync(InsertMembershipSql, new { request.ChainId, EnterpriseId = enterpriseId, Role = EnumText.Of(request.Role), Since = clock.GetCurrentInstant() }, transaction);
            await audit.AppendAsync(transaction, caller, "enterprise.joinedChain", "enterprise", enterpriseId, new { request.ChainId, role = EnumText.Of(request.Role) });
            return 0;
        }, cancellationToken);

        return (await GetAsync(enterpriseId, confidential: true, cancellationToken))!;
    }

    public async Task<EnterpriseResponse?> GetAsync(string id, bool confidential, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EnterpriseRow>(GetSql, new { Id = id });
        if (row is null)
        {
            return null;
        }

        var memberships = await connection.QueryAsync<MembershipRow>(MembershipsSql, new { Ids = new[] { id } });
        return ToResponse(row, memberships.Select(m => new ChainMembershipResponse(m.ChainId, m.ChainName, EnumText.Parse<ChainRole>(m.Role))).ToList(), confidential);
    }

    public async Task<Page<EnterpriseResponse>> ListAsync(PageRequest page, Func<string, bool> confidentialFor, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<EnterpriseRow>(db.Sql(ListSql), new { page.After, limit = page.FetchLimit })).AsList();
        var ids = rows.Select(r => r.Id).ToArray();
        var membershipRows = ids.Length == 0 ? [] : await connection.QueryAsync<MembershipRow>(MembershipsSql, new { Ids = ids });
        var memberships = membershipRows.ToLookup(m => m.EnterpriseId);
        return page.ToPage(rows, r => r.Id, r => ToResponse(
            r,
            memberships[r.Id].Select(m => new ChainMembershipResponse(m.ChainId, m.ChainName, EnumText.Parse<ChainRole>(m.Role))).ToList(),
            confidentialFor(r.Id)));
    }

    private static EnterpriseResponse ToResponse(EnterpriseRow row, IReadOnlyList<ChainMembershipResponse> chains, bool confidential) => new(
        row.Id, row.Name, row.CreditCode, EnumText.Parse<Industry>(row.Industry), row.Region, Divisions.Gb2260.FullName(row.Region), EnumText.Parse<EnterpriseSize>(row.Size),
        chains, row.CreatedAt,
        confidential ? row.Employees : null,
        confidential ? Money.FromFen(row.AnnualRevenueFen).Yuan : null,
        confidential ? Money.FromFen(row.TotalAssetsFen).Yuan : null);
}
