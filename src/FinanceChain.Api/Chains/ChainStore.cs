using System.Data.Common;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Chains;

internal sealed class ChainRow
{
    public string Id { get; set; } = "";
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Category { get; set; } = "";
    public string Region { get; set; } = "";
    public string? Chief { get; set; }
    public bool Active { get; set; }
    public Instant CreatedAt { get; set; }
    public string? LeadInstitutionId { get; set; }
    public string? LeadInstitutionName { get; set; }
    public Instant? LeadSince { get; set; }

    public ChainResponse ToResponse() => new(
        Id, Code, Name, Enum.Parse<ChainCategory>(Category, true), Region, Divisions.Gb2260.FullName(Region), Chief, Active,
        LeadInstitutionId is null ? null : new LeadBankResponse(LeadInstitutionId, LeadInstitutionName ?? "", LeadSince!.Value),
        CreatedAt);
}

internal sealed class PairingRow
{
    public string InstitutionId { get; set; } = "";
    public string InstitutionName { get; set; } = "";
    public Instant Since { get; set; }
    public Instant? Until { get; set; }
    public string PairedBy { get; set; } = "";
    public string? PairedByName { get; set; }
}

/// <summary>Chains and their lead-bank pairing (一链一行), with the pairing history.</summary>
public sealed class ChainStore(Db db, AuditLog audit, IClock clock)
{
    private const string SelectChain = """
        SELECT c.id, c.code, c.name, c.category, c.region, c.chief, c.active, c.created_at AS CreatedAt,
               p.institution_id AS LeadInstitutionId, i.name AS LeadInstitutionName, p.since AS LeadSince
        FROM chains c
        LEFT JOIN lead_bank_pairings p ON p.chain_id = c.id AND p.until IS NULL
        LEFT JOIN institutions i ON i.id = p.institution_id
        """;

    internal const string GetSql = SelectChain + " WHERE c.id = @Id";
    internal const string ListSql = SelectChain + " WHERE c.id > @After ORDER BY c.id {limit}";

    internal const string InsertSql = """
        INSERT INTO chains (id, code, name, category, region, chief, active, created_at)
        VALUES (@Id, @Code, @Name, @Category, @Region, @Chief, 1, @CreatedAt)
        """;

    internal const string CodeExistsSql = "SELECT COUNT(*) FROM chains WHERE code = @Code";

    // Takes the chain's row lock until the transaction ends, so that pairings of one chain take turns (on SQL
    // Server; SQLite's writers take turns anyway) instead of racing to the unique index of current pairings.
    internal const string LockChainSql = "UPDATE chains SET active = active WHERE id = @Id";
    internal const string InstitutionNameSql = "SELECT name FROM institutions WHERE id = @Id";
    internal const string CurrentPairingSql = "SELECT institution_id FROM lead_bank_pairings WHERE chain_id = @ChainId AND until IS NULL";
    internal const string EndPairingSql = "UPDATE lead_bank_pairings SET until = @At WHERE chain_id = @ChainId AND until IS NULL";

    internal const string InsertPairingSql = """
        INSERT INTO lead_bank_pairings (id, chain_id, institution_id, since, until, paired_by)
        VALUES (@Id, @ChainId, @InstitutionId, @Since, NULL, @PairedBy)
        """;

    // Pairings made within one tick share their instants, and ids within one millisecond are not ordered, so the
    // current pairing is put last and ended ones by when they ended: the history then reads without gap or overlap.
    internal const string HistorySql = """
        SELECT p.institution_id AS InstitutionId, i.name AS InstitutionName, p.since, p.until, p.paired_by AS PairedBy, k.name AS PairedByName
        FROM lead_bank_pairings p JOIN institutions i ON i.id = p.institution_id
        LEFT JOIN api_keys k ON k.id = p.paired_by
        WHERE p.chain_id = @ChainId
        ORDER BY p.since, CASE WHEN p.until IS NULL THEN 1 ELSE 0 END, p.until, p.id
        """;

    public async Task<ChainResponse> CreateAsync(CreateChainRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var row = new ChainRow
        {
            Id = Ids.New("chn"),
            Code = NormalizeCode(request.Code),
            Name = request.Name.Trim(),
            Category = EnumText.Of(request.Category),
            Region = request.Region,
            Chief = request.Chief?.Trim(),
            Active = true,
            CreatedAt = clock.GetCurrentInstant(),
        };

        try
        {
            await db.InTransactionAsync(async (connection, transaction) =>
            {
                if (await connection.ExecuteScalarAsync<long>(CodeExistsSql, new { row.Code }, transaction) > 0)
                {
                    throw new ConflictException(ChainCodes.ChainCodeTaken, row.Code);
                }

                await connection.ExecuteAsync(InsertSql, row, transaction);
                await audit.AppendAsync(transaction, caller, "chain.created", "chain", row.Id, new { row.Code, row.Name, row.Category, row.Region });
                return 0;
            }, cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            throw new ConflictException(ChainCodes.ChainCodeTaken, row.Code);
        }

        return row.ToResponse();
    }

    /// <summary>
    /// A chain code as stored and compared on every provider: trimmed and upper-case (<c>hb-auto</c> is
    /// <c>HB-AUTO</c>). SQL Server's collation ignores case and SQLite's does not; storing one form makes both agree.
    /// </summary>
    public static string NormalizeCode(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Trim().ToUpperInvariant();
    }

    public async Task<ChainResponse?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await db.QuerySingleOrDefaultAsync<ChainRow>(GetSql, new { Id = id }, cancellationToken))?.ToResponse();

    public async Task<Page<ChainResponse>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync<ChainRow>(ListSql, new { page.After, limit = page.FetchLimit }, cancellationToken);
        return page.ToPage(rows, r => r.Id, r => r.ToResponse());
    }

    /// <summary>
    /// Makes <paramref name="institutionId"/> the chain's lead bank. The previous pairing ends at the same
    /// instant, so the history has no gap and no overlap. Pairing the current lead bank again changes nothing.
    /// Concurrent pairings of one chain take turns on the chain's row; the last one wins.
    /// </summary>
    public async Task<LeadBankResponse> PairLeadBankAsync(string chainId, string institutionId, Caller caller, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync(LockChainSql, new { Id = chainId }, transaction) == 0)
            {
                throw new NotFoundException("chain");
            }

            var institutionName = await connection.ExecuteScalarAsync<string?>(InstitutionNameSql, new { Id = institutionId }, transaction)
                ?? throw new FieldValidationException("institutionId", ChainCodes.NoSuchInstitution);

            var current = await connection.ExecuteScalarAsync<string?>(CurrentPairingSql, new { ChainId = chainId }, transaction);
            if (current == institutionId)
            {
                var existing = await CurrentAsync(connection, transaction, chainId);
                return existing!;
            }

            var now = clock.GetCurrentInstant();
            await connection.ExecuteAsync(EndPairingSql, new { ChainId = chainId, At = now }, transaction);
            await connection.ExecuteAsync(InsertPairingSql, new { Id = Ids.New("lbp"), ChainId = chainId, InstitutionId = institutionId, Since = now, PairedBy = caller.KeyId }, transaction);
            await audit.AppendAsync(transaction, caller, "chain.leadBankPaired", "chain", chainId, new { institutionId, previous = current });
            return new LeadBankResponse(institutionId, institutionName, now);
        }, cancellationToken);

    public async Task<IReadOnlyList<LeadBankPairingResponse>> HistoryAsync(string chainId, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync<PairingRow>(HistorySql, new { ChainId = chainId }, cancellationToken);
        return rows.Select(r => new LeadBankPairingResponse(r.InstitutionId, r.InstitutionName, r.Since, r.Until, r.PairedBy, r.PairedByName ?? r.PairedBy)).ToList();
    }

    private static async Task<LeadBankResponse?> CurrentAsync(DbConnection connection, DbTransaction transaction, string chainId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ChainRow>(GetSql, new { Id = chainId }, transaction);
        return row?.ToResponse().LeadBank;
    }
}
