using System.Data.Common;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Matching;
using FinanceChain.Api.Webhooks;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Products;

internal sealed class ProductRow
{
    public string Id { get; set; } = "";
    public string InstitutionId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
    public long MinAmountFen { get; set; }
    public long MaxAmountFen { get; set; }
    public int MinTermDays { get; set; }
    public int MaxTermDays { get; set; }
    public int MinRateBps { get; set; }
    public int MaxRateBps { get; set; }
    public string EnterpriseSizes { get; set; } = "";
    public string Regions { get; set; } = "";
    public string Collateral { get; set; } = "";
    public bool RequiresConfirmedReceivable { get; set; }
    public int MaxAdvanceRatioBps { get; set; } = AdvanceLimit.DefaultRatioBps;
    public bool Active { get; set; }
    public long Version { get; set; }
    public long ChangeSeq { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }
    public Instant? WithdrawnAt { get; set; }
    public string InstitutionName { get; set; } = "";

    public ProductTerms ToTerms(IEnumerable<string> chainIds) => ProductTerms.Create(
        Id,
        InstitutionId,
        EnumText.Parse<ProductType>(Type),
        Money.FromFen(MinAmountFen),
        Money.FromFen(MaxAmountFen),
        MinTermDays,
        MaxTermDays,
        MinRateBps,
        MaxRateBps,
        chainIds,
        TextList.SplitEnums<EnterpriseSize>(EnterpriseSizes),
        TextList.Split(Regions).Select(RegionCode.Parse),
        EnumText.Parse<Collateral>(Collateral),
        RequiresConfirmedReceivable,
        Active);

    public ProductResponse ToResponse(IEnumerable<string> chainIds) => new(
        Id,
        InstitutionId,
        InstitutionName,
        Name,
        EnumText.Parse<ProductType>(Type),
        Money.FromFen(MinAmountFen).Yuan,
        Money.FromFen(MaxAmountFen).Yuan,
        MinTermDays,
        MaxTermDays,
        MinRateBps,
        MaxRateBps,
        chainIds.Order(StringComparer.Ordinal).ToList(),
        TextList.SplitEnums<EnterpriseSize>(EnterpriseSizes),
        TextList.Split(Regions),
        TextList.Split(Regions).Select(Divisions.Gb2260.FullName).ToList(),
        EnumText.Parse<Collateral>(Collateral),
        RequiresConfirmedReceivable,
        MaxAdvanceRatioBps,
        Active ? ProductStatus.Active : ProductStatus.Withdrawn,
        Version,
        CreatedAt,
        UpdatedAt,
        WithdrawnAt);
}

internal sealed class ProductChainRow
{
    public string ProductId { get; set; } = "";
    public string ChainId { get; set; } = "";
}

/// <summary>A product as the matching index holds it: its terms and, for responses, its name and its bank's.</summary>
/// <param name="Terms">The terms (withdrawn products have <c>Active = false</c>).</param>
/// <param name="Name">The product's name.</param>
/// <param name="InstitutionName">The name of the bank that offers it.</param>
public sealed record IndexedProduct(ProductTerms Terms, string Name, string InstitutionName);

/// <summary>
/// Banks' products. Every change also increments the <c>products</c> change counter in the same
/// transaction, as its last statement (<see cref="ProductChanges"/>), which is what keeps every instance's
/// matching index current.
/// </summary>
public sealed class ProductStore(Db db, AuditLog audit, IClock clock, WebhookOutbox outbox, NewlyMatchedRequests? newlyMatched = null)
{
    private const string SelectProduct = """
        SELECT id, institution_id AS InstitutionId, name, type, min_amount_fen AS MinAmountFen, max_amount_fen AS MaxAmountFen,
               min_term_days AS MinTermDays, max_term_days AS MaxTermDays, min_rate_bps AS MinRateBps, max_rate_bps AS MaxRateBps,
               enterprise_sizes AS EnterpriseSizes, regions, collateral, requires_confirmed_receivable AS RequiresConfirmedReceivable,
               max_advance_ratio_bps AS MaxAdvanceRatioBps,
               active, version, created_at AS CreatedAt, updated_at AS UpdatedAt, withdrawn_at AS WithdrawnAt,
               (SELECT i.name FROM institutions i WHERE i.id = products.institution_id) AS InstitutionName
        FROM products
        """;

    internal const string GetSql = SelectProduct + " WHERE id = @Id";

    // chainId: products offered to that chain, i.e. restricted to it or open to every chain.
    internal const string ListSql = SelectProduct + """
         WHERE active = 1 AND id > @After
           AND (@Type IS NULL OR type = @Type)
           AND (@InstitutionId IS NULL OR institution_id = @InstitutionId)
           AND (@ChainId IS NULL
                OR EXISTS (SELECT 1 FROM product_chains c WHERE c.product_id = products.id AND c.chain_id = @ChainId)
                OR NOT EXISTS (SELECT 1 FROM product_chains c WHERE c.product_id = products.id))
         ORDER BY id {limit}
        """;

    internal const string ChainsOfSql = "SELECT product_id AS ProductId, chain_id AS ChainId FROM product_chains WHERE product_id IN @Ids";

    // What the matching index needs, and no more: every active product, or every product changed since a counter value.
    private const string SelectIndexed = """
        SELECT p.id, p.institution_id AS InstitutionId, p.name, p.type, p.min_amount_fen AS MinAmountFen, p.max_amount_fen AS MaxAmountFen,
               p.min_term_days AS MinTermDays, p.max_term_days AS MaxTermDays, p.min_rate_bps AS MinRateBps, p.max_rate_bps AS MaxRateBps,
               p.enterprise_sizes AS EnterpriseSizes, p.regions, p.collateral, p.requires_confirmed_receivable AS RequiresConfirmedReceivable,
               p.active, i.name AS InstitutionName
        FROM products p
        JOIN institutions i ON i.id = p.institution_id
        """;

    internal const string IndexActiveSql = SelectIndexed + " WHERE p.active = 1";
    internal const string IndexChangedSql = SelectIndexed + " WHERE p.change_seq > @Since";

    internal const string IndexActiveChainsSql = """
        SELECT c.product_id AS ProductId, c.chain_id AS ChainId
        FROM product_chains c JOIN products p ON p.id = c.product_id
        WHERE p.active = 1
        """;

    internal const string IndexChangedChainsSql = """
        SELECT c.product_id AS ProductId, c.chain_id AS ChainId
        FROM product_chains c JOIN products p ON p.id = c.product_id
        WHERE p.change_seq > @Since
        """;

    internal const string ExistingChainsSql = "SELECT id FROM chains WHERE id IN @Ids";
    internal const string InstitutionNameSql = "SELECT name FROM institutions WHERE id = @Id";

    internal const string InsertSql = """
        INSERT INTO products (id, institution_id, name, type, min_amount_fen, max_amount_fen, min_term_days, max_term_days,
                              min_rate_bps, max_rate_bps, enterprise_sizes, regions, collateral, requires_confirmed_receivable,
                              max_advance_ratio_bps, active, version, change_seq, created_at, updated_at, withdrawn_at)
        VALUES (@Id, @InstitutionId, @Name, @Type, @MinAmountFen, @MaxAmountFen, @MinTermDays, @MaxTermDays,
                @MinRateBps, @MaxRateBps, @EnterpriseSizes, @Regions, @Collateral, @RequiresConfirmedReceivable,
                @MaxAdvanceRatioBps, 1, 1, @ChangeSeq, @CreatedAt, @UpdatedAt, NULL)
        """;

    internal const string InsertChainSql = "INSERT INTO product_chains (product_id, chain_id) VALUES (@ProductId, @ChainId)";
    internal const string DeleteChainsSql = "DELETE FROM product_chains WHERE product_id = @ProductId";

    internal const string UpdateSql = """
        UPDATE products
        SET name = @Name, type = @Type, min_amount_fen = @MinAmountFen, max_amount_fen = @MaxAmountFen,
            min_term_days = @MinTermDays, max_term_days = @MaxTermDays, min_rate_bps = @MinRateBps, max_rate_bps = @MaxRateBps,
            enterprise_sizes = @EnterpriseSizes, regions = @Regions, collateral = @Collateral,
            requires_confirmed_receivable = @RequiresConfirmedReceivable, max_advance_ratio_bps = @MaxAdvanceRatioBps,
            version = version + 1, updated_at = @UpdatedAt
        WHERE id = @Id AND institution_id = @InstitutionId AND version = @Version AND active = 1
        """;

    internal const string WithdrawSql = """
        UPDATE products SET active = 0, version = version + 1, updated_at = @At, withdrawn_at = @At
        WHERE id = @Id AND institution_id = @InstitutionId AND active = 1
        """;

    /// <summary>The share of a receivable's remaining amount the product lends at most (<see cref="AdvanceLimit"/>).</summary>
    internal const string AdvanceRatioSql = "SELECT max_advance_ratio_bps FROM products WHERE id = @Id";

    internal const string PendingOffersSql = "SELECT id, request_id AS RequestId FROM offers WHERE product_id = @Id AND status = 'pending' ORDER BY id";
    internal const string DeclinePendingOffersSql = "UPDATE offers SET status = 'declined', decided_at = @At WHERE product_id = @Id AND status = 'pending'";

    /// <summary>Posts a product for the caller's bank.</summary>
    public async Task<ProductResponse> CreateAsync(ProductRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var (row, terms) = Build(Ids.New("prd"), caller.BankInstitutionId, request);
        row.CreatedAt = now;
        row.UpdatedAt = now;
        row.Active = true;
        row.Version = 1;
        IReadOnlyList<string> events = [];

        await db.InTransactionAsync(async (connection, transaction) =>
        {
            await CheckChainsAsync(connection, transaction, request.ChainIds);
            row.InstitutionName = await connection.ExecuteScalarAsync<string>(InstitutionNameSql, new { Id = row.InstitutionId }, transaction) ?? "";
            await connection.ExecuteAsync(InsertSql, row, transaction);
            await InsertChainsAsync(connection, transaction, row.Id, terms.ChainIds);
            await audit.AppendAsync(transaction, caller, "product.created", "product", row.Id, AuditDetails(row, terms));
            events = newlyMatched is null ? [] : await newlyMatched.RecordAsync(connection, transaction, null, terms, cancellationToken);
            await ProductChanges.MarkChangedAsync(transaction, row.Id);
            return 0;
        }, cancellationToken);
        Dispatch(events);

        return row.ToResponse(terms.ChainIds);
    }

    /// <summary>
    /// Replaces the terms of one of the caller's products, if it is still at <paramref name="expectedVersion"/>:
    /// 404 when it is not the caller's, 409 when withdrawn (whatever the ETag), 412 when it changed meanwhile.
    /// </summary>
    public async Task<ProductResponse> ReplaceAsync(string id, ProductRequest request, long expectedVersion, Caller caller, CancellationToken cancellationToken)
    {
        var (row, terms) = Build(id, caller.BankInstitutionId, request);
        row.UpdatedAt = clock.GetCurrentInstant();
        row.Version = expectedVersion;
        IReadOnlyList<string> events = [];

        var response = await db.InTransactionAsync(async (connection, transaction) =>
        {
            var current = await OwnAsync(connection, transaction, id, caller);
            if (!current.Active)
            {
                throw new ConflictException(ProductCodes.ProductWithdrawn);
            }

            if (current.Version != expectedVersion)
            {
                throw new PreconditionFailedException(ErrorCodes.IfMatchStale);
            }

            await CheckChainsAsync(connection, transaction, request.ChainIds);
            var before = newlyMatched is null ? null : await TermsAsync(connection, transaction, id);
            if (await connection.ExecuteAsync(UpdateSql, row, transaction) != 1)
            {
                throw new PreconditionFailedException(ErrorCodes.IfMatchStale);
            }

            await connection.ExecuteAsync(DeleteChainsSql, new { ProductId = id }, transaction);
            await InsertChainsAsync(connection, transaction, id, terms.ChainIds);
            await audit.AppendAsync(transaction, caller, "product.updated", "product", id, AuditDetails(row, terms));

            var updated = await connection.QuerySingleAsync<ProductRow>(GetSql, new { Id = id }, transaction);
            events = newlyMatched is null ? [] : await newlyMatched.RecordAsync(connection, transaction, before?.Terms, terms, cancellationToken);
            await ProductChanges.MarkChangedAsync(transaction, id);
            return updated.ToResponse(terms.ChainIds);
        }, cancellationToken);
        Dispatch(events);
        return response;
    }

    // Delivery within seconds instead of at the next sweep; only once the change has committed.
    private void Dispatch(IReadOnlyList<string> events)
    {
        foreach (var id in events)
        {
            newlyMatched!.DispatchNow(id);
        }
    }

    /// <summary>
    /// Withdraws one of the caller's products: 404 when it is not the caller's, 409 when already withdrawn. Its
    /// pending offers are declined in the same transaction, so none of them can be accepted afterwards.
    /// </summary>
    public async Task<ProductResponse> WithdrawAsync(string id, Caller caller, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            var current = await OwnAsync(connection, transaction, id, caller);
            var now = clock.GetCurrentInstant();
            if (await connection.ExecuteAsync(WithdrawSql, new { Id = id, InstitutionId = caller.BankInstitutionId, At = now }, transaction) != 1)
            {
                throw new ConflictException(ProductCodes.ProductAlreadyWithdrawn);
            }

            await audit.AppendAsync(transaction, caller, "product.withdrawn", "product", id, new { current.Name, previousVersion = current.Version });
            var pending = (await connection.QueryAsync<(string Id, string RequestId)>(PendingOffersSql, new { Id = id }, transaction)).AsList();
            await connection.ExecuteAsync(DeclinePendingOffersSql, new { Id = id, At = now }, transaction);
            foreach (var offer in pending)
            {
                await audit.AppendAsync(transaction, caller, "offer.declined", "offer", offer.Id, new { requestId = offer.RequestId, reason = "product withdrawn" });
            }

            await OfferStore.RecordDeclinedAsync(connection, transaction, outbox, pending.Select(o => o.Id), now);

            var withdrawn = await connection.QuerySingleAsync<ProductRow>(GetSql, new { Id = id }, transaction);
            var chains = await connection.QueryAsync<ProductChainRow>(ChainsOfSql, new { Ids = new[] { id } }, transaction);
            await ProductChanges.MarkChangedAsync(transaction, id);
            return withdrawn.ToResponse(chains.Select(c => c.ChainId));
        }, cancellationToken);

    /// <summary>Any product, active or withdrawn; who may see it is the caller's business.</summary>
    public async Task<ProductResponse?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ProductRow>(new CommandDefinition(GetSql, new { Id = id }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var chains = await connection.QueryAsync<ProductChainRow>(new CommandDefinition(ChainsOfSql, new { Ids = new[] { id } }, cancellationToken: cancellationToken));
        return row.ToResponse(chains.Select(c => c.ChainId));
    }

    /// <summary>Active products, optionally of one type, one bank, or offered to one chain.</summary>
    public async Task<Page<ProductResponse>> ListAsync(ProductType? type, string? chainId, string? institutionId, PageRequest page, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ProductRow>(new CommandDefinition(
            db.Sql(ListSql),
            new
            {
                page.After,
                limit = page.FetchLimit,
                Type = type is { } t ? EnumText.Of(t) : null,
                ChainId = chainId,
                InstitutionId = institutionId,
            },
            cancellationToken: cancellationToken))).AsList();
        var ids = rows.Select(r => r.Id).ToArray();
        var chains = ids.Length == 0
            ? []
            : await connection.QueryAsync<ProductChainRow>(new CommandDefinition(ChainsOfSql, new { Ids = ids }, cancellationToken: cancellationToken));
        var byProduct = chains.ToLookup(c => c.ProductId, c => c.ChainId);
        return page.ToPage(rows, r => r.Id, r => r.ToResponse(byProduct[r.Id]));
    }

    /// <summary>
    /// Products for the matching index, read inside <paramref name="transaction"/> when given: every active
    /// product when <paramref name="changedSince"/> is null, else every product (active or withdrawn) whose
    /// last change wrote a counter value above it.
    /// </summary>
    public static async Task<IReadOnlyList<IndexedProduct>> LoadForIndexAsync(
        DbConnection connection, DbTransaction? transaction, long? changedSince, CancellationToken cancellationToken)
    {
        var (productsSql, chainsSql) = changedSince is null ? (IndexActiveSql, IndexActiveChainsSql) : (IndexChangedSql, IndexChangedChainsSql);
        var parameters = new { Since = changedSince ?? 0 };

        // The first read holds every active product for as long as the service runs: strings that repeat across
        // products (bank ids and names, chain ids) are kept once each, and rows become terms as they stream in, so
        // that the rows of 100,000 products and their copies of those strings are never all alive at once.
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        string Share(string text)
        {
            if (shared.TryGetValue(text, out var kept))
            {
                return kept;
            }

            shared.Add(text, text);
            return text;
        }

        var chains = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var chain in connection.QueryUnbufferedAsync<ProductChainRow>(chainsSql, parameters, transaction).WithCancellation(cancellationToken))
        {
            if (!chains.TryGetValue(chain.ProductId, out var ids))
            {
                ids = new List<string>(1);
                chains.Add(chain.ProductId, ids);
            }

            ids.Add(Share(chain.ChainId));
        }

        var products = new List<IndexedProduct>();
        await foreach (var row in connection.QueryUnbufferedAsync<ProductRow>(productsSql, parameters, transaction).WithCancellation(cancellationToken))
        {
            row.InstitutionId = Share(row.InstitutionId);
            var terms = row.ToTerms(chains.GetValueOrDefault(row.Id) ?? []);
            products.Add(new IndexedProduct(terms, row.Name, Share(row.InstitutionName)));
        }

        return products;
    }

    /// <summary>The terms of one product (active or not) as of <paramref name="transaction"/>, or null.</summary>
    public static async Task<(ProductTerms Terms, string Name)?> TermsAsync(DbConnection connection, DbTransaction transaction, string id)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ProductRow>(GetSql, new { Id = id }, transaction);
        if (row is null)
        {
            return null;
        }

        var chains = await connection.QueryAsync<ProductChainRow>(ChainsOfSql, new { Ids = new[] { id } }, transaction);
        return (row.ToTerms(chains.Select(c => c.ChainId)), row.Name);
    }

    /// <summary>
    /// The product's advance ratio in basis points, as of <paramref name="transaction"/>; the default (9000) for a
    /// product that does not exist, which no offer can name.
    /// </summary>
    public static async Task<int> AdvanceRatioAsync(DbConnection connection, DbTransaction transaction, string id) =>
        await connection.ExecuteScalarAsync<int?>(AdvanceRatioSql, new { Id = id }, transaction) ?? AdvanceLimit.DefaultRatioBps;

    private static (ProductRow Row, ProductTerms Terms) Build(string id, string institutionId, ProductRequest request)
    {
        var chainIds = request.ChainIds ?? [];
        for (var i = 0; i < chainIds.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(chainIds[i]))
            {
                throw new FieldValidationException($"chainIds[{i}]", ErrorCodes.IdForm);
            }
        }

        // The domain checks that the ranges are consistent, keyed by the offending field.
        var terms = ProductTerms.Create(
            id,
            institutionId,
            request.Type,
            Money.FromYuan(request.MinAmount),
            Money.FromYuan(request.MaxAmount),
            request.MinTermDays,
            request.MaxTermDays,
            request.MinRateBps,
            request.MaxRateBps,
            chainIds,
            request.EnterpriseSizes,
            (request.Regions ?? []).Select(RegionCode.Parse),
            request.Collateral,
            request.RequiresConfirmedReceivable);

        var row = new ProductRow
        {
            Id = id,
            InstitutionId = institutionId,
            Name = request.Name.Trim(),
            Type = EnumText.Of(terms.Type),
            MinAmountFen = terms.MinAmount.Fen,
            MaxAmountFen = terms.MaxAmount.Fen,
            MinTermDays = terms.MinTermDays,
            MaxTermDays = terms.MaxTermDays,
            MinRateBps = terms.MinRateBps,
            MaxRateBps = terms.MaxRateBps,
            EnterpriseSizes = TextList.JoinEnums(terms.EnterpriseSizes.Order()),
            Regions = TextList.Join(terms.Regions.Select(r => r.Value)),
            Collateral = EnumText.Of(terms.Collateral),
            RequiresConfirmedReceivable = terms.RequiresConfirmedReceivable,
            MaxAdvanceRatioBps = request.MaxAdvanceRatioBps,
        };
        return (row, terms);
    }

    private static async Task CheckChainsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string>? chainIds)
    {
        if (chainIds is null || chainIds.Count == 0)
        {
            return;
        }

        var existing = (await connection.QueryAsync<string>(ExistingChainsSql, new { Ids = chainIds.Distinct(StringComparer.Ordinal).ToArray() }, transaction))
            .ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < chainIds.Count; i++)
        {
            if (!existing.Contains(chainIds[i]))
            {
                throw new FieldValidationException($"chainIds[{i}]", ProductCodes.NoSuchChain);
            }
        }
    }

    private static Task InsertChainsAsync(DbConnection connection, DbTransaction transaction, string productId, IEnumerable<string> chainIds) =>
        connection.ExecuteAsync(InsertChainSql, chainIds.Order(StringComparer.Ordinal).Select(c => new { ProductId = productId, ChainId = c }).ToList(), transaction);

    private static async Task<ProductRow> OwnAsync(DbConnection connection, DbTransaction transaction, string id, Caller caller)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ProductRow>(GetSql, new { Id = id }, transaction);
        // Another bank's product is "not found": a bank never learns what it may not change.
        return row is not null && row.InstitutionId == caller.BankInstitutionId ? row : throw new NotFoundException("product");
    }

    private static object AuditDetails(ProductRow row, ProductTerms terms) => new
    {
        row.Name,
        row.Type,
        minAmount = terms.MinAmount.Yuan,
        maxAmount = terms.MaxAmount.Yuan,
        row.MinTermDays,
        row.MaxTermDays,
        row.MinRateBps,
        row.MaxRateBps,
        chainIds = terms.ChainIds.Order(StringComparer.Ordinal),
        enterpriseSizes = row.EnterpriseSizes,
        regions = row.Regions,
        row.Collateral,
        row.RequiresConfirmedReceivable,
        row.MaxAdvanceRatioBps,
    };
}
