using System.Data.Common;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Localization;
using FinanceChain.Api.Products;
using FinanceChain.Api.Webhooks;
using FinanceChain.Domain;
using Microsoft.Extensions.Options;
using NodaTime;

namespace FinanceChain.Api.Matching;

/// <summary>A financing request with the registry facts matching needs (requester's size and region, the chain's lead bank).</summary>
internal sealed class RequestRow
{
    public string Id { get; set; } = "";
    public string EnterpriseId { get; set; } = "";
    public string ChainId { get; set; } = "";
    public long AmountFen { get; set; }
    public int TermDays { get; set; }
    public string Purpose { get; set; } = "";
    public string AcceptableTypes { get; set; } = "";
    public string CollateralOffered { get; set; } = "";
    public int? MaxRateBps { get; set; }
    public string? ReceivableId { get; set; }
    public string? NoteId { get; set; }
    public bool HoldsNote { get; set; }
    public bool HasConfirmedReceivable { get; set; }
    public string Status { get; set; } = "";
    public string? AcceptedOfferId { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant ExpiresAt { get; set; }
    public Instant UpdatedAt { get; set; }
    public string EnterpriseSize { get; set; } = "";
    public string EnterpriseRegion { get; set; } = "";
    public string? LeadBankId { get; set; }
    public string EnterpriseName { get; set; } = "";
    public string ChainName { get; set; } = "";

    /// <summary>The stored status, except that an open or offered request whose time has run out is expired.</summary>
    public FinancingRequestStatus StatusAt(Instant now)
    {
        var stored = EnumText.Parse<FinancingRequestStatus>(Status);
        return stored is FinancingRequestStatus.Open or FinancingRequestStatus.Offered && now >= ExpiresAt
            ? FinancingRequestStatus.Expired
            : stored;
    }

    /// <summary>True while the request takes offers: open or offered, and not expired.</summary>
    public bool IsLiveAt(Instant now) => StatusAt(now) is FinancingRequestStatus.Open or FinancingRequestStatus.Offered;

    public FinancingNeed ToNeed() => FinancingNeed.Create(
        ChainId,
        EnumText.Parse<EnterpriseSize>(EnterpriseSize),
        RegionCode.Parse(EnterpriseRegion),
        Money.FromFen(AmountFen),
        TermDays,
        TextList.SplitEnums<ProductType>(AcceptableTypes),
        TextList.SplitEnums<Collateral>(CollateralOffered),
        MaxRateBps,
        HoldsNote,
        HasConfirmedReceivable,
        LeadBankId);

    public FinancingRequestResponse ToResponse(Instant now) => new(
        Id,
        EnterpriseId,
        EnterpriseName,
        ChainId,
        ChainName,
        EnumText.Parse<EnterpriseSize>(EnterpriseSize),
        EnterpriseRegion,
        Divisions.Gb2260.FullName(EnterpriseRegion),
        Money.FromFen(AmountFen).Yuan,
        TermDays,
        Purpose,
        TextList.SplitEnums<ProductType>(AcceptableTypes),
        TextList.SplitEnums<Collateral>(CollateralOffered),
        MaxRateBps,
        ReceivableId,
        NoteId,
        StatusAt(now),
        AcceptedOfferId,
        CreatedAt,
        ExpiresAt);
}

/// <summary>
/// Financing requests by enterprises, who may see them, their matches and banks' inboxes. Eligibility and
/// ranking are the domain's (<see cref="MatchingEngine"/> through the <see cref="MatchingIndexCache"/>); this
/// class only gathers the facts and stores the results.
/// </summary>
public sealed class FinancingRequestStore(
    Db db, AuditLog audit, IClock clock, IOptions<MatchingOptions> options, IRequestBacking backing, MatchingIndexCache index, TextCatalog texts,
    WebhookOutbox outbox)
{
    /// <summary>Most matches one call returns.</summary>
    public const int MaxMatches = 100;

    /// <summary>A request with what matching and the pages need of its enterprise, chain and lead bank.</summary>
    internal const string SelectRequest = """
        SELECT r.id, r.enterprise_id AS EnterpriseId, r.chain_id AS ChainId, r.amount_fen AS AmountFen, r.term_days AS TermDays,
               r.purpose, r.acceptable_types AS AcceptableTypes, r.collateral_offered AS CollateralOffered, r.max_rate_bps AS MaxRateBps,
               r.receivable_id AS ReceivableId, r.note_id AS NoteId, r.holds_note AS HoldsNote,
               r.has_confirmed_receivable AS HasConfirmedReceivable, r.status, r.accepted_offer_id AS AcceptedOfferId,
               r.created_at AS CreatedAt, r.expires_at AS ExpiresAt, r.updated_at AS UpdatedAt,
               e.size AS EnterpriseSize, e.region AS EnterpriseRegion, p.institution_id AS LeadBankId,
               e.name AS EnterpriseName, c.name AS ChainName
        FROM financing_requests r
        JOIN enterprises e ON e.id = r.enterprise_id
        JOIN chains c ON c.id = r.chain_id
        LEFT JOIN lead_bank_pairings p ON p.chain_id = r.chain_id AND p.until IS NULL
        """;

    internal const string GetSql = SelectRequest + " WHERE r.id = @Id";
    internal const string ListAllSql = SelectRequest + " WHERE r.id > @After ORDER BY r.id {limit}";
    internal const string ListOwnSql = SelectRequest + " WHERE r.enterprise_id = @EnterpriseId AND r.id > @After ORDER BY r.id {limit}";
    internal const string LiveAllSql = SelectRequest + " WHERE r.status IN ('open', 'offered') AND r.expires_at > @Now";
    internal const string LiveByEnterpriseSql = SelectRequest + """
         WHERE r.enterprise_id = @EnterpriseId AND r.status IN ('open', 'offered') AND r.expires_at > @Now
        """;

    internal const string MemberSql = "SELECT COUNT(*) FROM chain_members WHERE chain_id = @ChainId AND enterprise_id = @EnterpriseId";
    internal const string EnterpriseSql = """
        SELECT e.size AS EnterpriseSize, e.region AS EnterpriseRegion, e.name AS EnterpriseName, c.name AS ChainName
        FROM enterprises e, chains c
        WHERE e.id = @Id AND c.id = @ChainId
        """;
    internal const string HasOfferSql = "SELECT COUNT(*) FROM offers WHERE request_id = @RequestId AND institution_id = @InstitutionId";

    /// <summary>The banks with an offer on a request (any status): who is told that it was withdrawn or expired.</summary>
    internal const string BanksWithOffersSql = "SELECT DISTINCT institution_id FROM offers WHERE request_id = @RequestId";

    internal const string InsertSql = """
        INSERT INTO financing_requests (id, enterprise_id, chain_id, amount_fen, term_days, purpose, acceptable_types, collateral_offered,
                                        max_rate_bps, receivable_id, note_id, holds_note, has_confirmed_receivable, status,
                                        accepted_offer_id, created_at, expires_at, updated_at)
        VALUES (@Id, @EnterpriseId, @ChainId, @AmountFen, @TermDays, @Purpose, @AcceptableTypes, @CollateralOffered,
                @MaxRateBps, @ReceivableId, @NoteId, @HoldsNote, @HasConfirmedReceivable, 'open',
                NULL, @CreatedAt, @ExpiresAt, @UpdatedAt)
        """;

    // Every state change is conditional on the request still taking offers, so that of two concurrent
    // changes exactly one wins; the caller checks the rows affected.
    internal const string MarkOfferedSql = """
        UPDATE financing_requests SET status = 'offered', updated_at = @Now
        WHERE id = @Id AND status IN ('open', 'offered') AND expires_at > @Now
        """;

    internal const string MarkAcceptedSql = """
        UPDATE financing_requests SET status = 'accepted', accepted_offer_id = @OfferId, updated_at = @Now
        WHERE id = @Id AND status IN ('open', 'offered') AND expires_at > @Now
        """;

    internal const string MarkWithdrawnSql = """
        UPDATE financing_requests SET status = 'withdrawn', updated_at = @Now
        WHERE id = @Id AND status IN ('open', 'offered') AND expires_at > @Now
        """;

    /// <summary>Requests whose time ran out while open or offered and whose <c>financingRequest.expired</c> is not recorded yet.</summary>
    internal const string ExpiredUnrecordedSql = """
        SELECT id FROM financing_requests
        WHERE status IN ('open', 'offered') AND expires_at <= @Now AND expiry_recorded_at IS NULL
        ORDER BY expires_at, id {limit}
        """;

    /// <summary>
    /// Claims the one recording of a request's expiry. The status stays as stored (an open or offered request past
    /// <c>expires_at</c> reads as expired everywhere): only the marker changes, so whoever changes the row records it.
    /// </summary>
    internal const string MarkExpiryRecordedSql = """
        UPDATE financing_requests SET expiry_recorded_at = @Now
        WHERE id = @Id AND status IN ('open', 'offered') AND expires_at <= @Now AND expiry_recorded_at IS NULL
        """;

    /// <summary>Makes a financing request for the calling enterprise.</summary>
    public async Task<FinancingRequestResponse> CreateAsync(NewFinancingRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var enterpriseId = caller.OwnEnterpriseId;
        if (await db.QuerySingleOrDefaultAsync<long>(MemberSql, new { request.ChainId, EnterpriseId = enterpriseId }, cancellationToken) == 0)
        {
            throw new FieldValidationException("chainId", MatchingApiCodes.NotMemberOfChain);
        }

        var registry = await db.QuerySingleOrDefaultAsync<RequestRow>(EnterpriseSql, new { Id = enterpriseId, request.ChainId }, cancellationToken)
            ?? throw new NotFoundException("enterprise");
        var facts = await backing.CheckAsync(enterpriseId, request.ReceivableId, request.NoteId, cancellationToken);

        // The domain checks the need as matching will read it.
        var need = FinancingNeed.Create(
            request.ChainId,
            EnumText.Parse<EnterpriseSize>(registry.EnterpriseSize),
            RegionCode.Parse(registry.EnterpriseRegion),
            Money.FromYuan(request.Amount),
            request.TermDays,
            request.AcceptableTypes,
            request.CollateralOffered,
            request.MaxRateBps,
            facts.HoldsNote,
            facts.HasConfirmedReceivable);

        // The banks told of the new request (financingRequest.matched): those with an eligible active product now.
        var snapshot = await index.CurrentAsync(cancellationToken);
        var eligibleBanks = EligibleBanks(snapshot, need);

        var now = clock.GetCurrentInstant();
        var row = new RequestRow
        {
            Id = Ids.New("frq"),
            EnterpriseId = enterpriseId,
            ChainId = request.ChainId,
            AmountFen = need.Amount.Fen,
            TermDays = need.TermDays,
            Purpose = request.Purpose.Trim(),
            AcceptableTypes = TextList.JoinEnums(need.AcceptableTypes.Order()),
            CollateralOffered = TextList.JoinEnums(need.CollateralOffered.Order()),
            MaxRateBps = need.MaxRateBps,
            ReceivableId = request.ReceivableId,
            NoteId = request.NoteId,
            HoldsNote = need.HoldsNote,
            HasConfirmedReceivable = need.HasConfirmedReceivable,
            Status = EnumText.Of(FinancingRequestStatus.Open),
            CreatedAt = now,
            ExpiresAt = now + Duration.FromDays(options.Value.RequestLifetimeDays),
            UpdatedAt = now,
            EnterpriseSize = registry.EnterpriseSize,
            EnterpriseRegion = registry.EnterpriseRegion,
            EnterpriseName = registry.EnterpriseName,
            ChainName = registry.ChainName,
        };

        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(InsertSql, row, transaction);
            await audit.AppendAsync(transaction, caller, "financingRequest.created", "financingRequest", row.Id, new
            {
                row.ChainId,
                amount = need.Amount.Yuan,
                row.TermDays,
                row.AcceptableTypes,
                row.CollateralOffered,
                row.MaxRateBps,
                row.ReceivableId,
                row.NoteId,
                row.ExpiresAt,
            });
            var created = (await FindAsync(connection, transaction, row.Id))!.ToResponse(now);
            outbox.DispatchNow(await outbox.RecordAsync(connection, transaction, WebhookEvents.FinancingRequestMatched(created, eligibleBanks)));
            return created;
        }, cancellationToken);
    }

    /// <summary>Up to <paramref name="limit"/> requests that have expired and whose expiry is not recorded yet, soonest expired first.</summary>
    internal async Task<IReadOnlyList<string>> ExpiredUnrecordedAsync(int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync<string>(ExpiredUnrecordedSql, new { Now = clock.GetCurrentInstant(), limit }, cancellationToken);

    /// <summary>
    /// Records <c>financingRequest.expired</c> for one request, to the banks with offers on it, in the transaction of the
    /// conditional update that marks it recorded: true when this call recorded it, false when it was not expired or
    /// another run (or instance) had recorded it.
    /// </summary>
    internal async Task<bool> RecordExpiryAsync(string id, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetCurrentInstant();
            if (await connection.ExecuteAsync(MarkExpiryRecordedSql, new { Id = id, Now = now }, transaction) != 1)
            {
                return false;
            }

            var expired = (await FindAsync(connection, transaction, id))!.ToResponse(now);
            var banks = await connection.QueryAsync<string>(BanksWithOffersSql, new { RequestId = id }, transaction);
            outbox.DispatchNow(await outbox.RecordAsync(connection, transaction, WebhookEvents.FinancingRequestExpired(expired, banks)));
            return true;
        }, cancellationToken);

    /// <summary>The banks with at least one active product eligible for <paramref name="need"/>, by the matching index.</summary>
    internal static IReadOnlyList<string> EligibleBanks(ProductSnapshot snapshot, FinancingNeed need) =>
        snapshot.Institutions.Keys.Where(institutionId => snapshot.Index.AnyMatch(institutionId, need)).Order(StringComparer.Ordinal).ToList();

    /// <summary>One request, if the caller may see it (else 404).</summary>
    public async Task<FinancingRequestResponse> GetAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        var row = await VisibleAsync(id, caller, cancellationToken);
        return row.ToResponse(clock.GetCurrentInstant());
    }

    /// <summary>The caller's own requests (enterprise), or every request (admin, regulator).</summary>
    public async Task<Page<FinancingRequestResponse>> ListAsync(Caller caller, PageRequest page, CancellationToken cancellationToken)
    {
        var rows = caller.SeesEverything
            ? await db.QueryAsync<RequestRow>(ListAllSql, new { page.After, limit = page.FetchLimit }, cancellationToken)
            : await db.QueryAsync<RequestRow>(ListOwnSql, new { EnterpriseId = caller.OwnEnterpriseId, page.After, limit = page.FetchLimit }, cancellationToken);
        var now = clock.GetCurrentInstant();
        return page.ToPage(rows, r => r.Id, r => r.ToResponse(now));
    }

    /// <summary>Withdraws one of the caller's requests; its pending offers are declined. 409 unless it is open or offered and unexpired.</summary>
    public async Task<FinancingRequestResponse> WithdrawAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var row = await FindAsync(connection, transaction, id);
            if (row is null || row.EnterpriseId != caller.EnterpriseId)
            {
                throw new NotFoundException("financingRequest");
            }

            if (await connection.ExecuteAsync(MarkWithdrawnSql, new { Id = id, Now = now }, transaction) != 1)
            {
                throw new ConflictException(MatchingApiCodes.RequestNotWithdrawable, RequestStatusText(row.StatusAt(now)));
            }

            await audit.AppendAsync(transaction, caller, "financingRequest.withdrawn", "financingRequest", id, new { previousStatus = row.Status });
            await OfferStore.DeclinePendingAsync(connection, transaction, audit, outbox, caller, id, exceptOfferId: null, now, "request withdrawn");
            var withdrawn = (await FindAsync(connection, transaction, id))!.ToResponse(now);
            var banks = await connection.QueryAsync<string>(BanksWithOffersSql, new { RequestId = id }, transaction);
            outbox.DispatchNow(await outbox.RecordAsync(connection, transaction, WebhookEvents.FinancingRequestWithdrawn(withdrawn, banks)));
            return withdrawn;
        }, cancellationToken);
    }

    /// <summary>
    /// The best eligible products for a request, best first. The owner, admin and regulator may ask; a
    /// bank only while the request is live (open or offered, unexpired) and at least one of its active products
    /// is eligible (else 404).
    /// </summary>
    public async Task<MatchesResponse> MatchesAsync(string id, int? limit, Caller caller, CancellationToken cancellationToken)
    {
        var count = limit ?? 10;
        if (count < 1)
        {
            throw new FieldValidationException("limit", ErrorCodes.PageLimitTooSmall);
        }

        var row = await db.QuerySingleOrDefaultAsync<RequestRow>(GetSql, new { Id = id }, cancellationToken) ?? throw new NotFoundException("financingRequest");
        var snapshot = await index.CurrentAsync(cancellationToken);
        var stored = row.ToNeed();
        var now = clock.GetCurrentInstant();
        var allowed = caller.Role switch
        {
            Role.Admin or Role.Regulator => true,
            Role.Enterprise => row.EnterpriseId == caller.EnterpriseId,
            Role.Bank => row.IsLiveAt(now) && snapshot.HasProducts(caller.BankInstitutionId) && snapshot.Index.AnyMatch(caller.BankInstitutionId, stored),
            _ => false,
        };
        if (!allowed)
        {
            throw new NotFoundException("financingRequest");
        }

        // The matches are those of the note and receivable as they are now, not as when the request was made.
        if (row.IsLiveAt(now))
        {
            await RefreshBackingAsync(row, cancellationToken);
        }

        var need = row.ToNeed();
        // Near misses only for a request with few matches: a borrower with choice needs no "almost".
        var best = snapshot.Index.TopMatches(need, Math.Max(Math.Min(count, MaxMatches), NearMiss.MaxCount));
        var nearMisses = best.Count < NearMiss.MaxCount ? snapshot.Index.NearMisses(need) : [];
        return new MatchesResponse(
            best.Take(Math.Min(count, MaxMatches)).Select(m => new MatchResponse(
                m.ProductId,
                snapshot.NameOf(m.ProductId),
                m.Product.Type,
                m.InstitutionId,
                snapshot.InstitutionNameOf(m.ProductId),
                m.IsLeadBank,
                m.Score,
                m.Product.MinRateBps,
                m.Product.MaxRateBps,
                m.Reasons.Select(Say).ToList())).ToList(),
            nearMisses.Select(n => new NearMissResponse(
                n.ProductId,
                snapshot.NameOf(n.ProductId),
                n.InstitutionId,
                snapshot.InstitutionNameOf(n.ProductId),
                n.Failed.Select(f => Say(f.Failure!)).ToList())).ToList());
    }

    /// <summary>A reason as its code and its sentence in the request's language.</summary>
    internal ReasonResponse Say(Reason reason) => new(reason.Code, texts.Text(reason));

    /// <summary>A request's status as a word of the request's language (<c>已撤回</c>, <c>withdrawn</c>).</summary>
    internal static TextRef RequestStatusText(FinancingRequestStatus status) => new("requestStatus" + status);

    /// <summary>
    /// The request if the caller may see it: its owner, admin, regulator, a bank with an offer on it, and while
    /// the request is live (open or offered, unexpired) a bank with an active product eligible for it. Anyone
    /// else gets 404, as if it did not exist.
    /// </summary>
    internal async Task<RequestRow> VisibleAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<RequestRow>(GetSql, new { Id = id }, cancellationToken);
        if (row is null || !await MaySeeAsync(row, caller, cancellationToken))
        {
            throw new NotFoundException("financingRequest");
        }

        return row;
    }

    internal async Task<bool> MaySeeAsync(RequestRow row, Caller caller, CancellationToken cancellationToken)
    {
        switch (caller.Role)
        {
            case Role.Admin or Role.Regulator:
                return true;
            case Role.Enterprise:
                return row.EnterpriseId == caller.EnterpriseId;
            case Role.Bank:
                var snapshot = await index.CurrentAsync(cancellationToken);
                if (row.IsLiveAt(clock.GetCurrentInstant())
                    && snapshot.HasProducts(caller.BankInstitutionId) && snapshot.Index.AnyMatch(caller.BankInstitutionId, row.ToNeed()))
                {
                    return true;
                }

                return await db.QuerySingleOrDefaultAsync<long>(HasOfferSql, new { RequestId = row.Id, InstitutionId = caller.BankInstitutionId }, cancellationToken) > 0;
            default:
                return false;
        }
    }

    /// <summary>
    /// Checks the request's note and receivable again (the stored flags are as at creation: the note may have
    /// been passed on since, the receivable financed or turned into a note) and sets
    /// <see cref="RequestRow.HoldsNote"/> and <see cref="RequestRow.HasConfirmedReceivable"/> to what they are
    /// now. Returns the note's due date while the requester still holds it.
    /// </summary>
    internal async Task<LocalDate?> RefreshBackingAsync(RequestRow row, CancellationToken cancellationToken)
    {
        LocalDate? noteDueDate = null;
        if (row.NoteId is not null && row.HoldsNote)
        {
            try
            {
                noteDueDate = (await backing.CheckAsync(row.EnterpriseId, null, row.NoteId, cancellationToken)).NoteDueDate;
            }
            catch (FieldValidationException)
            {
                row.HoldsNote = false;
            }
        }

        if (row.ReceivableId is not null && row.HasConfirmedReceivable)
        {
            try
            {
                await backing.CheckAsync(row.EnterpriseId, row.ReceivableId, null, cancellationToken);
            }
            catch (FieldValidationException)
            {
                row.HasConfirmedReceivable = false;
            }
        }

        return noteDueDate;
    }

    internal static Task<RequestRow?> FindAsync(DbConnection connection, DbTransaction transaction, string id) =>
        connection.QuerySingleOrDefaultAsync<RequestRow>(GetSql, new { Id = id }, transaction);
}
