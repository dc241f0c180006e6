using System.Data.Common;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Notes;
using FinanceChain.Api.Products;
using FinanceChain.Api.Receivables;
using FinanceChain.Api.Webhooks;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Matching;

internal sealed class OfferRow
{
    public string Id { get; set; } = "";
    public string RequestId { get; set; } = "";
    public string ProductId { get; set; } = "";
    public string InstitutionId { get; set; } = "";
    public long AmountFen { get; set; }
    public int RateBps { get; set; }
    public int TermDays { get; set; }
    public string Status { get; set; } = "";
    public Instant CreatedAt { get; set; }
    public Instant? DecidedAt { get; set; }
    public string EnterpriseId { get; set; } = "";
    public string RequestStatus { get; set; } = "";
    public Instant RequestExpiresAt { get; set; }
    public string ProductName { get; set; } = "";
    public string ProductType { get; set; } = "";
    public string InstitutionName { get; set; } = "";
    public string EnterpriseName { get; set; } = "";

    private bool RequestExpiredAt(Instant now) => RequestStatus is "open" or "offered" && now >= RequestExpiresAt;

    /// <summary>The stored status, except that a pending offer on a request that has expired is expired.</summary>
    public OfferStatus StatusAt(Instant now)
    {
        var stored = EnumText.Parse<OfferStatus>(Status);
        return stored == OfferStatus.Pending && RequestExpiredAt(now) ? OfferStatus.Expired : stored;
    }

    /// <summary>The request's stored status, except that an open or offered request whose time has run out is expired.</summary>
    public FinancingRequestStatus RequestStatusAt(Instant now) =>
        RequestExpiredAt(now) ? FinancingRequestStatus.Expired : EnumText.Parse<FinancingRequestStatus>(RequestStatus);

    public OfferResponse ToResponse(Instant now) => new(
        Id,
        RequestId,
        ProductId,
        ProductName,
        EnumText.Parse<ProductType>(ProductType),
        InstitutionId,
        InstitutionName,
        Money.FromFen(AmountFen).Yuan,
        RateBps,
        TermDays,
        StatusAt(now),
        CreatedAt,
        DecidedAt,
        RequestStatusAt(now),
        EnterpriseId,
        EnterpriseName);
}

/// <summary>
/// Banks' offers on financing requests and their acceptance. Acceptance is one transaction of conditional
/// updates, so that of two acceptances (even concurrent ones, through different instances) exactly one wins.
/// </summary>
public sealed class OfferStore(
    Db db, AuditLog audit, IClock clock, FinancingRequestStore requests, IOfferSettlement settlement, BusinessCalendar calendar, WebhookOutbox outbox)
{
    private const string SelectOffer = """
        SELECT o.id, o.request_id AS RequestId, o.product_id AS ProductId, o.institution_id AS InstitutionId, o.amount_fen AS AmountFen,
               o.rate_bps AS RateBps, o.term_days AS TermDays, o.status, o.created_at AS CreatedAt, o.decided_at AS DecidedAt,
               r.enterprise_id AS EnterpriseId, r.status AS RequestStatus, r.expires_at AS RequestExpiresAt,
               p.name AS ProductName, p.type AS ProductType, i.name AS InstitutionName, e.name AS EnterpriseName
        FROM offers o
        JOIN financing_requests r ON r.id = o.request_id
        JOIN products p ON p.id = o.product_id
        JOIN institutions i ON i.id = o.institution_id
        JOIN enterprises e ON e.id = r.enterprise_id
        """;

    internal const string GetSql = SelectOffer + " WHERE o.id = @Id";

    /// <summary>
    /// Offers newest first (ids are time-ordered; the cursor is the last id of the previous page), of one bank, or on
    /// one enterprise's requests, or all, optionally of one status as the API shows it: a pending offer on a request
    /// whose time has run out counts as expired before the expiry job has stored it so.
    /// </summary>
    internal const string ListSql = SelectOffer + """
         WHERE (@Before = '' OR o.id < @Before)
           AND (@InstitutionId IS NULL OR o.institution_id = @InstitutionId)
           AND (@EnterpriseId IS NULL OR r.enterprise_id = @EnterpriseId)
           AND (@Status IS NULL
                OR (@Status = 'pending' AND o.status = 'pending' AND NOT (r.status IN ('open', 'offered') AND r.expires_at <= @Now))
                OR (@Status = 'expired' AND (o.status = 'expired' OR (o.status = 'pending' AND r.status IN ('open', 'offered') AND r.expires_at <= @Now)))
                OR (@Status IN ('accepted', 'declined') AND o.status = @Status))
         ORDER BY o.id DESC {limit}
        """;

    internal const string ListForRequestSql = SelectOffer + """
         WHERE o.request_id = @RequestId AND (@InstitutionId IS NULL OR o.institution_id = @InstitutionId) AND o.id > @After
         ORDER BY o.id {limit}
        """;

    // A bank's own offers, newest first (ids grow with time). A pending offer on a request that ran out is
    // expired, as StatusAt says, so the filter reads the request's state too.
    internal const string ListForBankSql = SelectOffer + """
         WHERE o.institution_id = @InstitutionId AND (@Before = '' OR o.id < @Before)
           AND (@Status IS NULL
                OR (@Status = 'pending' AND o.status = 'pending' AND NOT (r.status IN ('open', 'offered') AND r.expires_at <= @Now))
                OR (@Status = 'expired' AND (o.status = 'expired' OR (o.status = 'pending' AND r.status IN ('open', 'offered') AND r.expires_at <= @Now)))
                OR (@Status IN ('accepted', 'declined') AND o.status = @Status))
         ORDER BY o.id DESC {limit}
        """;

    internal const string PendingIdsSql = "SELECT id FROM offers WHERE request_id = @RequestId AND status = 'pending' ORDER BY id";

    internal const string InsertSql = """
        INSERT INTO offers (id, request_id, product_id, institution_id, amount_fen, rate_bps, term_days, status, created_at, decided_at)
        VALUES (@Id, @RequestId, @ProductId, @InstitutionId, @AmountFen, @RateBps, @TermDays, 'pending', @CreatedAt, NULL)
        """;

    internal const string ProductActiveSql = "SELECT COUNT(*) FROM products WHERE id = @Id AND active = 1";

    internal const string MarkAcceptedSql = "UPDATE offers SET status = 'accepted', decided_at = @Now WHERE id = @Id AND status = 'pending'";
    internal const string DeclinePendingSql = "UPDATE offers SET status = 'declined', decided_at = @Now WHERE request_id = @RequestId AND status = 'pending'";

    internal const string DeclineOtherPendingSql = """
        UPDATE offers SET status = 'declined', decided_at = @Now WHERE request_id = @RequestId AND status = 'pending' AND id <> @Except
        """;

    /// <summary>
    /// A bank's offer on a request it may see. 409 when the request no longer takes offers; 400 on
    /// <c>productId</c> when the product is not the bank's own, active and eligible for the request, and on
    /// the amount, rate or term when outside the product's ranges or the request's limits.
    /// </summary>
    public async Task<OfferResponse> CreateAsync(string requestId, NewOffer offer, Caller caller, CancellationToken cancellationToken)
    {
        var visible = await requests.VisibleAsync(requestId, caller, cancellationToken);
        var institutionId = caller.BankInstitutionId;
        var now = clock.GetCurrentInstant();
        var amount = Money.FromYuan(offer.Amount);
        var noteDueDate = await requests.RefreshBackingAsync(visible, cancellationToken);

        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var request = await FinancingRequestStore.FindAsync(connection, transaction, requestId) ?? throw new NotFoundException("financingRequest");
            if (!request.IsLiveAt(now))
            {
                throw new ConflictException(MatchingApiCodes.RequestTakesNoOffers, FinancingRequestStore.RequestStatusText(request.StatusAt(now)));
            }

            var product = await ProductStore.TermsAsync(connection, transaction, offer.ProductId);
            if (product is not { } found || found.Terms.InstitutionId != institutionId)
            {
                throw new FieldValidationException("productId", MatchingApiCodes.ProductNotYours);
            }

            var (terms, name) = found;
            var eligibility = MatchingEngine.Explain(terms, request.ToNeed());
            if (!eligibility.IsEligible)
            {
                throw new FieldValidationException(new Dictionary<string, FieldError[]>
                {
                    ["productId"] = [new FieldError(MatchingApiCodes.ProductNotEligible), .. eligibility.Failed.Select(ToFieldError)],
                });
            }

            // Eligible on the request as made; is it still, now that the note or receivable may have moved on?
            request.HoldsNote = visible.HoldsNote;
            request.HasConfirmedReceivable = visible.HasConfirmedReceivable;
            var current = MatchingEngine.Explain(terms, request.ToNeed());
            if (!current.IsEligible)
            {
                throw new ConflictException(MatchingApiCodes.BackingGone, new ListArg([.. current.Failed.Select(f => (object)new TextRef(f.Failure!.Code))]));
            }

            CheckTerms(offer, amount, terms, request);
            if (request.ReceivableId is not null)
            {
                // At most the product's advance ratio of what remains of the receivable, for a term ending by its due date.
                await ReceivableStore.CheckAdvanceAsync(transaction, request.ReceivableId, new ReceivableFinancing(amount, offer.TermDays, BusinessDate.Of(now), terms.Id));
            }

            if (terms.Type == ProductType.NoteDiscount && request.NoteId is not null && noteDueDate is { } dueDate)
            {
                // A discount runs from today (Shanghai) to the day the note pays (the next business day when it falls due on a holiday).
                var days = DiscountInterest.Days(BusinessDate.Of(now), dueDate, calendar);
                if (offer.TermDays != days)
                {
                    throw new FieldValidationException("termDays", MatchingApiCodes.DiscountTermMismatch, dueDate, days, offer.TermDays);
                }
            }

            var row = new OfferRow
            {
                Id = Ids.New("ofr"),
                RequestId = requestId,
                ProductId = terms.Id,
                InstitutionId = institutionId,
                AmountFen = amount.Fen,
                RateBps = offer.RateBps,
                TermDays = offer.TermDays,
                Status = EnumText.Of(OfferStatus.Pending),
                CreatedAt = now,
                EnterpriseId = request.EnterpriseId,
                RequestStatus = EnumText.Of(FinancingRequestStatus.Offered),
                RequestExpiresAt = request.ExpiresAt,
                ProductName = name,
                ProductType = EnumText.Of(terms.Type),
            };
            await connection.ExecuteAsync(InsertSql, row, transaction);
            if (await connection.ExecuteAsync(FinancingRequestStore.MarkOfferedSql, new { Id = requestId, Now = now }, transaction) != 1)
            {
                throw new ConflictException(MatchingApiCodes.RequestTakesNoOffers, FinancingRequestStore.RequestStatusText(FinancingRequestStatus.Expired));
            }

            await audit.AppendAsync(transaction, caller, "offer.created", "offer", row.Id, new
            {
                requestId,
                row.ProductId,
                amount = amount.Yuan,
                row.RateBps,
                row.TermDays,
            });
            if (request.Status == EnumText.Of(FinancingRequestStatus.Open))
            {
                await audit.AppendAsync(transaction, caller, "financingRequest.offered", "financingRequest", requestId, new { offerId = row.Id });
            }

            var created = (await connection.QuerySingleAsync<OfferRow>(GetSql, new { row.Id }, transaction)).ToResponse(now);
            outbox.DispatchNow(await outbox.RecordAsync(connection, transaction, WebhookEvents.OfferCreated(created, request.EnterpriseId)));
            return created;
        }, cancellationToken);
    }

    /// <summary>
    /// The caller's offers, newest first: a bank's own, those on an enterprise's requests, every offer for admin and the
    /// regulator; optionally only those of <paramref name="status"/> (as shown: a pending offer on an expired request is
    /// expired). Each carries the request's status and the requester's name.
    /// </summary>
    public async Task<Page<OfferResponse>> ListAsync(Caller caller, OfferStatus? status, PageRequest page, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var rows = await db.QueryAsync<OfferRow>(ListSql, new
        {
            Before = page.After,
            InstitutionId = caller.Role == Role.Bank ? caller.BankInstitutionId : null,
            EnterpriseId = caller.Role == Role.Enterprise ? caller.OwnEnterpriseId : null,
            Status = status is { } wanted ? EnumText.Of(wanted) : null,
            Now = now,
            limit = page.FetchLimit,
        }, cancellationToken);
        return page.ToPage(rows, r => r.Id, r => r.ToResponse(now));
    }

    /// <summary>
    /// The offers on a request the caller may see: all of them for its owner, admin and regulator; a bank
    /// only its own.
    /// </summary>
    public async Task<Page<OfferResponse>> ListForRequestAsync(string requestId, Caller caller, PageRequest page, CancellationToken cancellationToken)
    {
        _ = await requests.VisibleAsync(requestId, caller, cancellationToken);
        var rows = await db.QueryAsync<OfferRow>(ListForRequestSql, new
        {
            RequestId = requestId,
            InstitutionId = caller.Role == Role.Bank ? caller.BankInstitutionId : null,
            page.After,
            limit = page.FetchLimit,
        }, cancellationToken);
        var now = clock.GetCurrentInstant();
        return page.ToPage(rows, r => r.Id, r => r.ToResponse(now));
    }

    /// <summary>
    /// The calling bank's own offers, newest first, optionally of one status (as <see cref="OfferRow.StatusAt"/> gives
    /// it). The cursor is the last id of the page before.
    /// </summary>
    public async Task<Page<OfferResponse>> ListForBankAsync(Caller caller, OfferStatus? status, PageRequest page, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var rows = await db.QueryAsync<OfferRow>(ListForBankSql, new
        {
            InstitutionId = caller.BankInstitutionId,
            Before = page.After,
            Status = status is { } s ? EnumText.Of(s) : null,
            Now = now,
            limit = page.FetchLimit,
        }, cancellationToken);
        return page.ToPage(rows, r => r.Id, r => r.ToResponse(now));
    }

    /// <summary>One offer: for the bank that made it, the request's owner, admin and regulator (else 404).</summary>
    public async Task<OfferResponse> GetAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<OfferRow>(GetSql, new { Id = id }, cancellationToken);
        var visible = row is not null && caller.Role switch
        {
            Role.Admin or Role.Regulator => true,
            Role.Enterprise => row.EnterpriseId == caller.EnterpriseId,
            Role.Bank => row.InstitutionId == caller.InstitutionId,
            _ => false,
        };
        return visible ? row!.ToResponse(clock.GetCurrentInstant()) : throw new NotFoundException("offer");
    }

    /// <summary>
    /// The request's owner accepts an offer: the offer and the request become accepted, the other pending
    /// offers declined, and <see cref="IOfferSettlement"/> settles it, all in one transaction. A second
    /// acceptance, or one racing it, is a 409 and changes nothing.
    /// </summary>
    public async Task<AcceptOfferResponse> AcceptAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var offer = await connection.QuerySingleOrDefaultAsync<OfferRow>(GetSql, new { Id = id }, transaction);
            if (offer is null || offer.EnterpriseId != caller.EnterpriseId)
            {
                throw new NotFoundException("offer");
            }

            var request = await FinancingRequestStore.FindAsync(connection, transaction, offer.RequestId) ?? throw new NotFoundException("offer");
            if (offer.StatusAt(now) != OfferStatus.Pending)
            {
                throw new ConflictException(MatchingApiCodes.OfferNotPending, new TextRef("offerStatus" + offer.StatusAt(now)));
            }

            if (await connection.ExecuteScalarAsync<long>(ProductActiveSql, new { Id = offer.ProductId }, transaction) == 0)
            {
                throw new ConflictException(MatchingApiCodes.OfferProductWithdrawn);
            }

            if (await connection.ExecuteAsync(FinancingRequestStore.MarkAcceptedSql, new { Id = request.Id, OfferId = id, Now = now }, transaction) != 1
                || await connection.ExecuteAsync(MarkAcceptedSql, new { Id = id, Now = now }, transaction) != 1)
            {
                throw new ConflictException(MatchingApiCodes.RequestNotAcceptable, FinancingRequestStore.RequestStatusText(request.StatusAt(now)));
            }

            await audit.AppendAsync(transaction, caller, "offer.accepted", "offer", id, new { requestId = request.Id });
            await audit.AppendAsync(transaction, caller, "financingRequest.accepted", "financingRequest", request.Id, new { offerId = id });
            await DeclinePendingAsync(connection, transaction, audit, outbox, caller, request.Id, exceptOfferId: id, now, "another offer accepted");

            var accepted = new AcceptedOffer(
                id,
                request.Id,
                request.EnterpriseId,
                offer.InstitutionId,
                offer.ProductId,
                EnumText.Parse<ProductType>(offer.ProductType),
                Money.FromFen(offer.AmountFen),
                offer.RateBps,
                offer.TermDays,
                request.NoteId,
                request.ReceivableId,
                now);
            var discount = await settlement.OnAcceptedAsync(transaction, accepted, caller, cancellationToken);

            var offerNow = (await connection.QuerySingleAsync<OfferRow>(GetSql, new { Id = id }, transaction)).ToResponse(now);
            var requestNow = await FinancingRequestStore.FindAsync(connection, transaction, request.Id);
            outbox.DispatchNow(await outbox.RecordAsync(connection, transaction, WebhookEvents.OfferAccepted(offerNow, offerNow.InstitutionId)));
            return new AcceptOfferResponse(offerNow, requestNow!.ToResponse(now), discount);
        }, cancellationToken);
    }

    /// <summary>
    /// Declines the request's pending offers (but <paramref name="exceptOfferId"/>), auditing each and recording
    /// <c>offer.declined</c> for its bank, with the offer as it reads afterwards.
    /// </summary>
    internal static async Task DeclinePendingAsync(
        DbConnection connection, DbTransaction transaction, AuditLog audit, WebhookOutbox outbox, Caller caller, string requestId, string? exceptOfferId,
        Instant now, string reason)
    {
        var pending = (await connection.QueryAsync<string>(PendingIdsSql, new { RequestId = requestId }, transaction))
            .Where(o => o != exceptOfferId)
            .ToArray();
        if (pending.Length == 0)
        {
            return;
        }

        // One statement bounded by the request, however many offers it has (a list of ids would be one parameter each).
        await connection.ExecuteAsync(
            exceptOfferId is null ? DeclinePendingSql : DeclineOtherPendingSql, new { RequestId = requestId, Except = exceptOfferId, Now = now }, transaction);
        foreach (var offerId in pending)
        {
            await audit.AppendAsync(transaction, caller, "offer.declined", "offer", offerId, new { requestId, reason });
        }

        await RecordDeclinedAsync(connection, transaction, outbox, pending, now);
    }

    /// <summary>Records <c>offer.declined</c> for each of <paramref name="offerIds"/> (just declined), to the offer's bank.</summary>
    internal static async Task RecordDeclinedAsync(DbConnection connection, DbTransaction transaction, WebhookOutbox outbox, IEnumerable<string> offerIds, Instant now)
    {
        foreach (var offerId in offerIds)
        {
            var declined = (await connection.QuerySingleAsync<OfferRow>(GetSql, new { Id = offerId }, transaction)).ToResponse(now);
            outbox.DispatchNow(await outbox.RecordAsync(connection, transaction, WebhookEvents.OfferDeclined(declined, declined.InstitutionId)));
        }
    }

    private static FieldError ToFieldError(RuleOutcome outcome) => new(outcome.Failure!.Code, [.. outcome.Failure.Args]);

    private static void CheckTerms(NewOffer offer, Money amount, ProductTerms product, RequestRow request)
    {
        if (amount.Fen > request.AmountFen)
        {
            throw new FieldValidationException("amount", MatchingApiCodes.OfferAboveRequest, Money.FromFen(request.AmountFen));
        }

        if (amount < product.MinAmount || amount > product.MaxAmount)
        {
            throw new FieldValidationException("amount", MatchingApiCodes.OfferAmountOutsideProduct, product.MinAmount, product.MaxAmount);
        }

        if (offer.RateBps < product.MinRateBps || offer.RateBps > product.MaxRateBps)
        {
            throw new FieldValidationException("rateBps", MatchingApiCodes.OfferRateOutsideProduct, new RateArg(product.MinRateBps), new RateArg(product.MaxRateBps));
        }

        if (request.MaxRateBps is { } ceiling && offer.RateBps > ceiling)
        {
            throw new FieldValidationException("rateBps", MatchingApiCodes.OfferRateAboveCeiling, new RateArg(ceiling));
        }

        if (offer.TermDays < product.MinTermDays || offer.TermDays > product.MaxTermDays)
        {
            throw new FieldValidationException("termDays", MatchingApiCodes.OfferTermOutsideProduct, product.MinTermDays, product.MaxTermDays);
        }
    }
}
