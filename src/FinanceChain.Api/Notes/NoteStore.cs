using System.Data.Common;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Receivables;
using FinanceChain.Api.Webhooks;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Notes;

internal sealed class NoteRow
{
    public string Id { get; set; } = "";
    public string Number { get; set; } = "";
    public string AcceptorId { get; set; } = "";
    public string? AcceptorName { get; set; }
    public string PayeeId { get; set; } = "";
    public string? PayeeName { get; set; }
    public long AmountFen { get; set; }
    public LocalDate IssueDate { get; set; }
    public LocalDate DueDate { get; set; }
    public string? ReceivableId { get; set; }
    public string Status { get; set; } = "";
    public long Version { get; set; }
    public Instant CreatedAt { get; set; }

    public NoteStatus CurrentStatus => EnumText.Parse<NoteStatus>(Status);

    public NoteResponse ToResponse(IReadOnlyList<NoteHoldingResponse> holdings, LocalDate today) => new(
        Id, Number, AcceptorId, AcceptorName, PayeeId, PayeeName, Money.FromFen(AmountFen).Yuan, IssueDate, DueDate,
        NoteLifecycle.View(CurrentStatus, DueDate, today), ReceivableId, holdings);
}

internal sealed class HoldingRow
{
    public string NoteId { get; set; } = "";
    public long FromUnit { get; set; }
    public long ToUnit { get; set; }
    public string HolderId { get; set; } = "";
    public string? HolderName { get; set; }

    public NoteHolding ToHolding() => new(HolderId, SubNoteRange.Create(FromUnit, ToUnit));

    public NoteHoldingResponse ToResponse() => new(HolderId, HolderName, FromUnit, ToUnit, Money.FromFen(ToUnit - FromUnit + 1).Yuan);
}

internal sealed class NoteEventRow
{
    public string Id { get; set; } = "";
    public string NoteId { get; set; } = "";
    public int Seq { get; set; }
    public string Type { get; set; } = "";
    public string ActorKeyId { get; set; } = "";
    public string? ActorKeyName { get; set; }
    public string? ActorId { get; set; }
    public Instant At { get; set; }
    public long AmountFen { get; set; }
    public string? FromId { get; set; }
    public string? FromName { get; set; }
    public string? ToId { get; set; }
    public string? ToName { get; set; }
    public string Ranges { get; set; } = "";
    public int? RateBps { get; set; }
    public long? InterestFen { get; set; }
    public long? ProceedsFen { get; set; }
    public string? PresentmentId { get; set; }
    public string? RecourseId { get; set; }
    public string? Reason { get; set; }

    public NoteEventType EventType => EnumText.Parse<NoteEventType>(Type);

    public IReadOnlyList<SubNoteRange> ParsedRanges() =>
        Ranges.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(SubNoteRange.Parse).ToList();

    public NoteEventResponse ToResponse() => new(
        Seq, EventType, ActorKeyId, ActorKeyName, ActorId, At, Money.FromFen(AmountFen).Yuan, FromId, FromName, ToId, ToName,
        ParsedRanges().Select(SubNoteRangeResponse.Of).ToList(),
        PresentmentId,
        RecourseId,
        Reason,
        RateBps,
        InterestFen is { } interest ? Money.FromFen(interest).Yuan : null,
        ProceedsFen is { } proceeds ? Money.FromFen(proceeds).Yuan : null);
}

/// <summary>A transfer's recipient as stored, and whether it is already a party of the note.</summary>
internal sealed class RecipientRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public long IsParty { get; set; }
}

internal sealed class PartyNameRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
}

/// <summary>Who made a change of a note: an API key, or a job (actor key id = the job's id, no party).</summary>
/// <param name="KeyId">The API key, or the job's id.</param>
/// <param name="Role">The key's role, or <c>system</c>.</param>
/// <param name="PartyId">The enterprise or institution the key is bound to; null for admin, regulator and jobs.</param>
internal sealed record NoteActor(string KeyId, string Role, string? PartyId)
{
    public static NoteActor Of(Caller caller) => new(caller.KeyId, caller.Role.ToString().ToLowerInvariant(), caller.EnterpriseId ?? caller.InstitutionId);

    public static NoteActor Job(string jobId) => new(jobId, "system", null);
}

/// <summary>One event to append to a note's history.</summary>
internal sealed record NoteEvent(
    NoteEventType Type, Money Amount, string? FromId, string? ToId, IEnumerable<SubNoteRange> Ranges,
    DiscountQuote? Quote = null, string? PresentmentId = null, string? RecourseId = null, string? Reason = null);

/// <summary>
/// Supply-chain notes: issue, transfer (endorse), discount, settle, and the history of each. The changes at maturity
/// (presentment, payment, dishonour, recourse) are <see cref="NoteMaturityStore"/>'s and use the same ledger below.
/// </summary>
/// <remarks>
/// <para>Holdings are rows <c>(note_id, from_unit, to_unit, holder_id)</c> that partition <c>1..N</c>; the
/// arithmetic is <see cref="NoteHoldings"/>'s, this class only loads and stores it.</para>
/// <para>Concurrency is settled by the database, never in process memory: every change of a note starts,
/// inside its transaction, with <c>UPDATE notes SET version = version + 1 WHERE id = @Id AND status &lt;&gt;
/// 'settled'</c>. On SQL Server that takes the note row's exclusive lock until commit; on SQLite the
/// transaction is <c>BEGIN IMMEDIATE</c> and holds the database's write lock. Either way a second writer of
/// the same note (in this process or another instance on the same database) waits, then reads the holdings
/// the first one committed, so two transfers can never spend the same sub-notes.</para>
/// </remarks>
public sealed class NoteStore(Db db, AuditLog audit, ReceivableStore receivables, BusinessCalendar calendar, IClock clock, WebhookOutbox outbox)
{
    /// <summary>The 12-digit issuer code in this platform's note numbers (digits 2-13).</summary>
    public const string PlatformIssuerCode = "900000000001";

    private const string SerialName = "note";

    private const string SelectNote = """
        SELECT n.id, n.number, n.acceptor_id AS AcceptorId, a.name AS AcceptorName, n.payee_id AS PayeeId, p.name AS PayeeName,
               n.amount_fen AS AmountFen, n.issue_date AS IssueDate, n.due_date AS DueDate, n.receivable_id AS ReceivableId,
               n.status, n.version, n.created_at AS CreatedAt
        FROM notes n
        LEFT JOIN enterprises a ON a.id = n.acceptor_id
        LEFT JOIN enterprises p ON p.id = n.payee_id
        """;

    // Names of the parties and of the acting key, in the same query as the events.
    private const string SelectEvent = """
        SELECT e.id, e.note_id AS NoteId, e.seq, e.type, e.actor_key_id AS ActorKeyId, k.name AS ActorKeyName, e.actor_id AS ActorId, e.at,
               e.amount_fen AS AmountFen, e.from_id AS FromId, COALESCE(fe.name, fi.name) AS FromName, e.to_id AS ToId,
               COALESCE(te.name, ti.name) AS ToName, e.ranges, e.rate_bps AS RateBps, e.interest_fen AS InterestFen,
               e.proceeds_fen AS ProceedsFen, e.presentment_id AS PresentmentId, e.recourse_id AS RecourseId, e.reason
        FROM note_events e
        LEFT JOIN api_keys k ON k.id = e.actor_key_id
        LEFT JOIN enterprises fe ON fe.id = e.from_id
        LEFT JOIN institutions fi ON fi.id = e.from_id
        LEFT JOIN enterprises te ON te.id = e.to_id
        LEFT JOIN institutions ti ON ti.id = e.to_id
        """;

    internal const string GetSql = SelectNote + " WHERE n.id = @Id";
    internal const string ListAllSql = SelectNote + " WHERE n.id > @After ORDER BY n.id {limit}";

    internal const string ListInvolvedSql = SelectNote + """
         WHERE n.id > @After AND EXISTS (SELECT 1 FROM note_parties np WHERE np.note_id = n.id AND np.party_id = @Party)
         ORDER BY n.id {limit}
        """;

    /// <summary>Holdings with their holders' names (an enterprise, or a bank after a discount), in one query.</summary>
    internal const string HoldingsSql = """
        SELECT h.note_id AS NoteId, h.from_unit AS FromUnit, h.to_unit AS ToUnit, h.holder_id AS HolderId, COALESCE(e.name, i.name) AS HolderName
        FROM note_holdings h
        LEFT JOIN enterprises e ON e.id = h.holder_id
        LEFT JOIN institutions i ON i.id = h.holder_id
        WHERE h.note_id IN @Ids ORDER BY h.note_id, h.from_unit
        """;

    /// <summary>The names of parties that may be enterprises or institutions, in one query.</summary>
    internal const string PartyNamesSql = """
        SELECT id, name FROM enterprises WHERE id IN @Ids
        UNION ALL
        SELECT id, name FROM institutions WHERE id IN @Ids
        """;

    /// <summary>The note if <c>@Party</c> is one of its parties, in one query.</summary>
    internal const string GetVisibleSql = SelectNote + """
         WHERE n.id = @Id AND EXISTS (SELECT 1 FROM note_parties np WHERE np.note_id = n.id AND np.party_id = @Party)
        """;

    /// <summary>A transfer's recipient (an enterprise): its id as stored, its name and whether the note already has it as a party.</summary>
    internal const string RecipientSql = """
        SELECT e.id, e.name,
               CASE WHEN EXISTS (SELECT 1 FROM note_parties np WHERE np.note_id = @NoteId AND np.party_id = e.id) THEN 1 ELSE 0 END AS IsParty
        FROM enterprises e WHERE e.id = @Id
        """;
    internal const string IsCoreMemberSql = "SELECT COUNT(*) FROM chain_members WHERE enterprise_id = @Id AND role = @Role";
    internal const string EnterpriseIdSql = "SELECT id FROM enterprises WHERE id = @Id";
    internal const string InstitutionIdSql = "SELECT id FROM institutions WHERE id = @Id";
    internal const string NextSerialSql = "UPDATE note_serials SET last_serial = last_serial + 1 WHERE name = @Name";
    internal const string CurrentSerialSql = "SELECT last_serial FROM note_serials WHERE name = @Name";

    internal const string InsertNoteSql = """
        INSERT INTO notes (id, number, acceptor_id, payee_id, amount_fen, issue_date, due_date, receivable_id, status, version, created_at, settled_at)
        VALUES (@Id, @Number, @AcceptorId, @PayeeId, @AmountFen, @IssueDate, @DueDate, @ReceivableId, @Status, @Version, @CreatedAt, NULL)
        """;

    /// <summary>Takes the note for a change: the row lock (SQL Server) or write lock (SQLite) until commit. A settled note is final.</summary>
    internal const string LockSql = "UPDATE notes SET version = version + 1 WHERE id = @Id AND status <> @Settled";

    /// <summary>Stores the status the note's parts give it, under its lock.</summary>
    internal const string SetStatusSql = """
        UPDATE notes SET status = @Status, settled_at = CASE WHEN @Status = @Settled THEN @At ELSE settled_at END
        WHERE id = @Id AND status <> @Settled
        """;

    internal const string InsertHoldingSql = "INSERT INTO note_holdings (note_id, from_unit, to_unit, holder_id) VALUES (@NoteId, @FromUnit, @ToUnit, @HolderId)";
    internal const string DeleteHoldingSql = "DELETE FROM note_holdings WHERE note_id = @NoteId AND from_unit = @FromUnit AND to_unit = @ToUnit AND holder_id = @HolderId";

    internal const string InsertPartySql = """
        INSERT INTO note_parties (note_id, party_id)
        SELECT @NoteId, @Party WHERE NOT EXISTS (SELECT 1 FROM note_parties WHERE note_id = @NoteId AND party_id = @Party)
        """;

    /// <summary>Appends an event with the note's next seq, in one statement (under the note's lock, so no two writers take the same seq).</summary>
    internal const string InsertEventSql = """
        INSERT INTO note_events (id, note_id, seq, type, actor_key_id, actor_id, at, amount_fen, from_id, to_id, ranges, rate_bps, interest_fen,
                                 proceeds_fen, presentment_id, recourse_id, reason)
        SELECT @Id, @NoteId, COALESCE(MAX(seq), 0) + 1, @Type, @ActorKeyId, @ActorId, @At, @AmountFen, @FromId, @ToId, @Ranges, @RateBps, @InterestFen,
               @ProceedsFen, @PresentmentId, @RecourseId, @Reason
        FROM note_events WHERE note_id = @NoteId
        """;

    internal const string EventsSql = SelectEvent + " WHERE e.note_id = @NoteId ORDER BY e.seq";
    internal const string EventSql = SelectEvent + " WHERE e.note_id = @NoteId AND e.id = @Id AND e.type = @Type";

    internal static readonly string Outstanding = EnumText.Of(NoteStatus.Outstanding);
    internal static readonly string Settled = EnumText.Of(NoteStatus.Settled);

    /// <summary>
    /// The calling core enterprise issues and accepts a note held whole by the payee, optionally from part or all
    /// of what remains of a confirmed receivable it owes the payee (in the same transaction).
    /// </summary>
    public async Task<NoteResponse> IssueAsync(CreateNoteRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var acceptorId = caller.OwnEnterpriseId;
        var amount = Money.FromYuan(request.Amount);
        var today = clock.Today();
        NoteTerms.Validate(today, request.DueDate);
        var row = new NoteRow
        {
            Id = Ids.New("nte"),
            AcceptorId = acceptorId,
            AmountFen = amount.Fen,
            IssueDate = today,
            DueDate = request.DueDate,
            Status = Outstanding,
            Version = 1,
            CreatedAt = clock.GetCurrentInstant(),
        };

        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteScalarAsync<long>(IsCoreMemberSql, new { Id = acceptorId, Role = EnumText.Of(ChainRole.Core) }, transaction) == 0)
            {
                throw new ForbiddenException("noteIssuerNotCore");
            }

            // Ids as stored, never the text given: SQL Server compares ids without regard to case.
            row.PayeeId = await connection.ExecuteScalarAsync<string?>(EnterpriseIdSql, new { Id = request.PayeeId }, transaction)
                ?? throw new FieldValidationException("payeeId", "notePayeeUnknown");
            if (row.PayeeId == acceptorId)
            {
                throw new FieldValidationException("payeeId", "notePayeeIsAcceptor");
            }

            if (request.ReceivableId is not null)
            {
                row.ReceivableId = await receivables.ConvertToNoteAsync(transaction, request.ReceivableId, acceptorId, row.PayeeId, amount, row.Id, caller);
            }

            var holdings = NoteHoldings.Issue(amount, row.PayeeId);

            await connection.ExecuteAsync(NextSerialSql, new { Name = SerialName }, transaction);
            var serial = await connection.ExecuteScalarAsync<long>(CurrentSerialSql, new { Name = SerialName }, transaction);
            row.Number = NoteNumber.Create(NoteAcceptorKind.Commercial, PlatformIssuerCode, today, serial).Value;

            await connection.ExecuteAsync(InsertNoteSql, row, transaction);
            await WriteHoldingsAsync(transaction, row.Id, before: null, after: holdings);
            await AddPartyAsync(transaction, row.Id, acceptorId);
            await AddPartyAsync(transaction, row.Id, row.PayeeId);
            await AppendEventAsync(transaction, row.Id, NoteActor.Of(caller), new NoteEvent(NoteEventType.Issued, amount, acceptorId, row.PayeeId, holdings.RangesOf(row.PayeeId)));
            await audit.AppendAsync(transaction, caller, "note.issued", "note", row.Id, new
            {
                row.Number,
                row.PayeeId,
                amount = amount.Yuan,
                issueDate = Iso(row.IssueDate),
                dueDate = Iso(row.DueDate),
                row.ReceivableId,
            });
            var issued = await NoteNowAsync(connection, transaction, row.Id, today);
            await RecordReceivedAsync(connection, transaction, issued, row.PayeeId);
            return issued;
        }, cancellationToken);
    }

    /// <summary>The note if the caller may see it (acceptor, current or past holder, bank holding part of it, regulator), else null.</summary>
    public async Task<NoteResponse?> GetAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var note = await FindVisibleAsync(connection, null, id, caller);
        if (note is null)
        {
            return null;
        }

        return note.ToResponse(await HoldingsResponseAsync(connection, null, note.Id), clock.Today());
    }

    /// <summary>Notes the caller is or was involved in (every note for the regulator, none for admin), by id.</summary>
    public async Task<Page<NoteResponse>> ListAsync(PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = caller.IsRegulator
            ? (await connection.QueryAsync<NoteRow>(db.Sql(ListAllSql), new { page.After, limit = page.FetchLimit })).AsList()
            : (await connection.QueryAsync<NoteRow>(db.Sql(ListInvolvedSql), new { page.After, limit = page.FetchLimit, Party = PartyOf(caller) ?? "" })).AsList();
        var ids = rows.Take(page.Limit).Select(r => r.Id).ToArray();
        var holdingRows = (ids.Length == 0 ? [] : await connection.QueryAsync<HoldingRow>(HoldingsSql, new { Ids = ids })).ToLookup(h => h.NoteId);
        var today = clock.Today();
        return page.ToPage(rows, r => r.Id, r => r.ToResponse(holdingRows[r.Id].Select(h => h.ToResponse()).ToList(), today));
    }

    /// <summary>
    /// The caller passes <c>amount</c> of its lowest-numbered sub-notes to another enterprise. Not visible: 404;
    /// unknown recipient: 400; settled, due or more than held: 409 and nothing changes.
    /// </summary>
    public async Task<TransferResponse> TransferAsync(string noteId, TransferNoteRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var fromId = caller.OwnEnterpriseId;
        var amount = Money.FromYuan(request.Amount);
        var visible = await VisibleAsync(noteId, caller, cancellationToken) ?? throw new NotFoundException("note");
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var note = await LockAndReadAsync(transaction, visible.Id);
            // The holdings with their holders' names and the recipient with its name: what the response and the
            // note.received event need, so that nothing below reads the note again.
            var rows = (await connection.QueryAsync<HoldingRow>(HoldingsSql, new { Ids = new[] { note.Id } }, transaction)).AsList();
            var recipient = await connection.QuerySingleOrDefaultAsync<RecipientRow>(RecipientSql, new { Id = request.ToEnterpriseId, NoteId = note.Id }, transaction)
                ?? throw new FieldValidationException("toEnterpriseId", "noteRecipientUnknown");
            var toId = recipient.Id;

            var today = clock.Today();
            NoteLifecycle.EnsureCanTransfer(note.CurrentStatus, note.DueDate, today);
            var before = NoteHoldings.FromRanges(note.AmountFen, rows.Select(r => r.ToHolding()));
            var moved = await MoveAsync(transaction, note, before, fromId, toId, amount, NoteEventType.Transferred, caller, quote: null, toIsParty: recipient.IsParty != 0);
            await audit.AppendAsync(transaction, caller, "note.transferred", "note", note.Id, new
            {
                transferId = moved.EventId,
                fromId,
                toId,
                amount = amount.Yuan,
                ranges = RangesText(moved.Result.Moved),
            });
            var names = rows.Where(r => r.HolderName is not null)
                .GroupBy(r => r.HolderId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().HolderName!, StringComparer.Ordinal);
            names[toId] = recipient.Name;
            var holdings = HoldingsResponse(note.Id, moved.Result.After, names);
            await RecordReceivedAsync(connection, transaction, note.ToResponse(holdings, today), toId);
            return new TransferResponse(
                moved.EventId, note.Id, fromId, names.GetValueOrDefault(fromId), toId, recipient.Name, moved.Result.Amount.Yuan,
                moved.Result.Moved.Select(SubNoteRangeResponse.Of).ToList(), moved.At, holdings);
        }, cancellationToken);
    }

    /// <summary>One transfer of a note, for whoever may see the note.</summary>
    public async Task<TransferResponse?> GetTransferAsync(string noteId, string transferId, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var note = await FindVisibleAsync(connection, null, noteId, caller);
        if (note is null)
        {
            return null;
        }

        var row = await connection.QuerySingleOrDefaultAsync<NoteEventRow>(EventSql, new { NoteId = note.Id, Id = transferId, Type = EnumText.Of(NoteEventType.Transferred) });
        if (row is null)
        {
            return null;
        }

        return new TransferResponse(row.Id, note.Id, row.FromId!, row.FromName, row.ToId!, row.ToName, Money.FromFen(row.AmountFen).Yuan,
            row.ParsedRanges().Select(SubNoteRangeResponse.Of).ToList(), row.At, await HoldingsResponseAsync(connection, null, note.Id));
    }

    /// <summary>
    /// Discounts (贴现) part of a note at a bank, inside the caller's transaction: moves <paramref name="amount"/>
    /// of the holder's lowest-numbered sub-notes to the bank (whose holder id is its institution id) and records
    /// a <c>discounted</c> event with the rate, interest and proceeds of
    /// <see cref="DiscountInterest.Quote"/>, which it returns.
    /// </summary>
    /// <remarks>
    /// For the offers feature: call it when the holder accepts a <c>noteDiscount</c> offer, in the same
    /// transaction that marks the offer accepted, with <paramref name="acceptanceDate"/> the Shanghai business
    /// date of acceptance. It takes the note's lock first like every change of a note. Refusals throw and so
    /// roll the whole transaction back: an unknown note is a <see cref="NotFoundException"/>; an unknown bank a
    /// <see cref="FieldValidationException"/>; a settled note, a note at or past its due date, or more than the
    /// holder holds a 409 (<see cref="DomainConflictException"/>); a bad rate or amount a
    /// <see cref="DomainValidationException"/>. <paramref name="caller"/> is recorded as the actor and audited.
    /// Days count to the day the note pays: the next business day when it falls due on a weekend or holiday.
    /// </remarks>
    public async Task<DiscountQuote> DiscountAsync(
        DbTransaction transaction, string noteId, string holderEnterpriseId, string bankInstitutionId, Money amount, int rateBps,
        LocalDate acceptanceDate, Caller caller)
    {
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has no connection.");
        await LockAsync(transaction, noteId);
        var note = await connection.QuerySingleOrDefaultAsync<NoteRow>(GetSql, new { Id = noteId }, transaction) ?? throw new NotFoundException("note");
        var bankId = await connection.ExecuteScalarAsync<string?>(InstitutionIdSql, new { Id = bankInstitutionId }, transaction)
            ?? throw new FieldValidationException("institutionId", "noteBankUnknown");

        NoteLifecycle.EnsureCanTransfer(note.CurrentStatus, note.DueDate, acceptanceDate);
        var quote = DiscountInterest.Quote(amount, rateBps, acceptanceDate, note.DueDate, calendar);
        var before = await LoadHoldingsAsync(connection, transaction, note);
        var moved = await MoveAsync(transaction, note, before, holderEnterpriseId, bankId, amount, NoteEventType.Discounted, caller, quote);
        await audit.AppendAsync(transaction, caller, "note.discounted", "note", note.Id, new
        {
            eventId = moved.EventId,
            fromId = holderEnterpriseId,
            toId = bankId,
            amount = amount.Yuan,
            rateBps,
            days = quote.Days,
            paymentDate = Iso(quote.PaymentDate),
            interest = quote.Interest.Yuan,
            proceeds = quote.Proceeds.Yuan,
            ranges = RangesText(moved.Result.Moved),
        });
        await RecordReceivedAsync(connection, transaction, await NoteNowAsync(connection, transaction, note.Id, acceptanceDate), bankId);
        return quote;
    }

    /// <summary>The note as <c>GET /notes/{id}</c> returns it, read inside <paramref name="transaction"/>.</summary>
    internal static async Task<NoteResponse> NoteNowAsync(DbConnection connection, DbTransaction? transaction, string noteId, LocalDate today)
    {
        var stored = await connection.QuerySingleAsync<NoteRow>(GetSql, new { Id = noteId }, transaction);
        return stored.ToResponse(await HoldingsResponseAsync(connection, transaction, noteId), today);
    }

    /// <summary>Records <c>note.received</c> for the new holder, in the transaction that made it one.</summary>
    private async Task RecordReceivedAsync(DbConnection connection, DbTransaction transaction, NoteResponse note, string holderId) =>
        outbox.DispatchNow(await outbox.RecordAsync(connection, transaction, WebhookEvents.NoteReceived(note, holderId)));

    /// <summary>
    /// Unpaid notes due within <see cref="DueSoonDays"/> days of <c>@Today</c> (and not yet due) whose <c>note.dueSoon</c>
    /// is not recorded yet, soonest due first.
    /// </summary>
    internal const string DueSoonSql = """
        SELECT id FROM notes
        WHERE due_soon_recorded_at IS NULL AND status = @Outstanding AND due_date > @Today AND due_date <= @Horizon
        ORDER BY due_date, id {limit}
        """;

    /// <summary>Claims the one recording of a note's <c>note.dueSoon</c>: whoever changes the row records it, once.</summary>
    internal const string MarkDueSoonSql = """
        UPDATE notes SET due_soon_recorded_at = @At
        WHERE id = @Id AND due_soon_recorded_at IS NULL AND status = @Outstanding
        """;

    internal const string HolderIdsSql = "SELECT DISTINCT holder_id FROM note_holdings WHERE note_id = @NoteId";

    /// <summary>How many days before its due date a note's holders and acceptor are told (<c>note.dueSoon</c>).</summary>
    public const int DueSoonDays = 3;

    /// <summary>Up to <paramref name="limit"/> notes that fall due within <see cref="DueSoonDays"/> days of <paramref name="today"/>, not yet told.</summary>
    internal async Task<IReadOnlyList<string>> DueSoonAsync(LocalDate today, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync<string>(DueSoonSql, new { Outstanding, Today = today, Horizon = today.PlusDays(DueSoonDays), limit }, cancellationToken);

    /// <summary>
    /// Records <c>note.dueSoon</c> for one note, to its current holders and its acceptor, in the transaction of the
    /// conditional update that marks it told: true when this call recorded it, false when another run (or instance) had.
    /// </summary>
    internal async Task<bool> RecordDueSoonAsync(string noteId, LocalDate today, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync(MarkDueSoonSql, new { Id = noteId, At = clock.GetCurrentInstant(), Outstanding }, transaction) != 1)
            {
                return false;
            }

            var note = await NoteNowAsync(connection, transaction, noteId, today);
            var holders = await connection.QueryAsync<string>(HolderIdsSql, new { NoteId = noteId }, transaction);
            outbox.DispatchNow(await outbox.RecordAsync(connection, transaction, WebhookEvents.NoteDueSoon(note, holders, note.AcceptorId)));
            return true;
        }, cancellationToken);

    /// <summary>Every event of the note, oldest first, if the caller may see the note; else null.</summary>
    public async Task<NoteHistoryResponse?> HistoryAsync(string noteId, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var note = await FindVisibleAsync(connection, null, noteId, caller);
        if (note is null)
        {
            return null;
        }

        var rows = await connection.QueryAsync<NoteEventRow>(EventsSql, new { NoteId = note.Id });
        return new NoteHistoryResponse(note.Id, rows.Select(r => r.ToResponse()).ToList());
    }

    internal static string? PartyOf(Caller caller) => caller.EnterpriseId ?? caller.InstitutionId;

    internal static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", null);

    internal static string RangesText(IEnumerable<SubNoteRange> ranges) => string.Join(',', ranges.Select(r => r.ToString()));

    internal static async Task LockAsync(DbTransaction transaction, string noteId) =>
        await transaction.Connection!.ExecuteAsync(LockSql, new { Id = noteId, Settled }, transaction);

    /// <summary>Takes the note's lock, then reads the note as it is under the lock.</summary>
    internal static async Task<NoteRow> LockAndReadAsync(DbTransaction transaction, string noteId)
    {
        await LockAsync(transaction, noteId);
        return await transaction.Connection!.QuerySingleAsync<NoteRow>(GetSql, new { Id = noteId }, transaction);
    }

    /// <summary>
    /// The note if the caller may see it, read outside any transaction. Changes check this before they take the
    /// note's lock, so that a caller who may not see a note can never hold up its parties; who may see a note
    /// only ever grows (parties are never removed), so the answer stays true under the lock.
    /// </summary>
    internal async Task<NoteRow?> VisibleAsync(string noteId, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await FindVisibleAsync(connection, null, noteId, caller);
    }

    /// <summary>The note if the caller may see it: its parties (acceptor, current and past holders, banks holding part of it) and the regulator.</summary>
    internal static async Task<NoteRow?> FindVisibleAsync(DbConnection connection, DbTransaction? transaction, string noteId, Caller caller)
    {
        if (caller.IsRegulator)
        {
            return await connection.QuerySingleOrDefaultAsync<NoteRow>(GetSql, new { Id = noteId }, transaction);
        }

        return PartyOf(caller) is { } party
            ? await connection.QuerySingleOrDefaultAsync<NoteRow>(GetVisibleSql, new { Id = noteId, Party = party }, transaction)
            : null;
    }

    internal static async Task<NoteHoldings> LoadHoldingsAsync(DbConnection connection, DbTransaction? transaction, NoteRow note)
    {
        var rows = await connection.QueryAsync<HoldingRow>(HoldingsSql, new { Ids = new[] { note.Id } }, transaction);
        return NoteHoldings.FromRanges(note.AmountFen, rows.Select(r => r.ToHolding()));
    }

    /// <summary>The holdings as stored, with their holders' names (one query).</summary>
    internal static async Task<IReadOnlyList<NoteHoldingResponse>> HoldingsResponseAsync(DbConnection connection, DbTransaction? transaction, string noteId) =>
        (await connection.QueryAsync<HoldingRow>(HoldingsSql, new { Ids = new[] { noteId } }, transaction)).Select(h => h.ToResponse()).ToList();

    /// <summary>
    /// <paramref name="holdings"/> as <see cref="HoldingsResponseAsync"/> reads them once stored (by first unit),
    /// named from <paramref name="names"/>: for a change that already knows every holder's name.
    /// </summary>
    internal static IReadOnlyList<NoteHoldingResponse> HoldingsResponse(string noteId, NoteHoldings holdings, IReadOnlyDictionary<string, string> names) =>
        holdings.Ranges
            .OrderBy(h => h.Range.From)
            .Select(h => new HoldingRow { NoteId = noteId, FromUnit = h.Range.From, ToUnit = h.Range.To, HolderId = h.HolderId, HolderName = names.GetValueOrDefault(h.HolderId) }.ToResponse())
            .ToList();

    /// <summary>The names of enterprises and institutions by id, in one query; an id that names neither is left out.</summary>
    internal static async Task<IReadOnlyDictionary<string, string>> PartyNamesAsync(DbConnection connection, DbTransaction? transaction, IEnumerable<string> ids)
    {
        var distinct = ids.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var rows = await connection.QueryAsync<PartyNameRow>(PartyNamesSql, new { Ids = distinct }, transaction);
        return rows.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
    }

    /// <summary>Deletes the rows that are gone and inserts the new ones; unchanged ranges stay as they are.</summary>
    internal static async Task WriteHoldingsAsync(DbTransaction transaction, string noteId, NoteHoldings? before, NoteHoldings after)
    {
        var old = before?.Ranges.ToHashSet() ?? [];
        var next = after.Ranges.ToHashSet();
        foreach (var gone in old.Where(h => !next.Contains(h)))
        {
            var deleted = await transaction.Connection!.ExecuteAsync(DeleteHoldingSql,
                new { NoteId = noteId, FromUnit = gone.Range.From, ToUnit = gone.Range.To, gone.HolderId }, transaction);
            if (deleted != 1)
            {
                throw new InvalidOperationException($"Holding {gone.HolderId}:{gone.Range} of note {noteId} changed under the note's lock.");
            }
        }

        foreach (var added in next.Where(h => !old.Contains(h)))
        {
            await transaction.Connection!.ExecuteAsync(InsertHoldingSql,
                new { NoteId = noteId, FromUnit = added.Range.From, ToUnit = added.Range.To, added.HolderId }, transaction);
        }
    }

    internal static Task AddPartyAsync(DbTransaction transaction, string noteId, string partyId) =>
        transaction.Connection!.ExecuteAsync(InsertPartySql, new { NoteId = noteId, Party = partyId }, transaction);

    /// <summary>Stores the status the note's parts give it, when it changed.</summary>
    internal async Task SetStatusAsync(DbTransaction transaction, NoteRow note, NoteStatus status)
    {
        if (note.CurrentStatus == status)
        {
            return;
        }

        await transaction.Connection!.ExecuteAsync(SetStatusSql, new { note.Id, Status = EnumText.Of(status), Settled, At = clock.GetCurrentInstant() }, transaction);
        note.Status = EnumText.Of(status);
    }

    internal async Task<(string Id, Instant At)> AppendEventAsync(DbTransaction transaction, string noteId, NoteActor actor, NoteEvent noteEvent)
    {
        var connection = transaction.Connection!;
        var row = new NoteEventRow
        {
            Id = Ids.New(noteEvent.Type == NoteEventType.Transferred ? "ntr" : "nev"),
            NoteId = noteId,
            Type = EnumText.Of(noteEvent.Type),
            ActorKeyId = actor.KeyId,
            ActorId = actor.PartyId,
            At = clock.GetCurrentInstant(),
            AmountFen = noteEvent.Amount.Fen,
            FromId = noteEvent.FromId,
            ToId = noteEvent.ToId,
            Ranges = RangesText(noteEvent.Ranges),
            RateBps = noteEvent.Quote?.RateBps,
            InterestFen = noteEvent.Quote?.Interest.Fen,
            ProceedsFen = noteEvent.Quote?.Proceeds.Fen,
            PresentmentId = noteEvent.PresentmentId,
            RecourseId = noteEvent.RecourseId,
            Reason = noteEvent.Reason,
        };
        await connection.ExecuteAsync(InsertEventSql, row, transaction);
        return (row.Id, row.At);
    }

    private sealed record Moved(string EventId, TransferResult Result, Instant At);

    /// <summary>
    /// Moves sub-notes with <see cref="NoteHoldings.Transfer"/> and stores the changed rows, the new party (unless
    /// <paramref name="toIsParty"/> says, as read under the lock, that it is one already) and the event.
    /// </summary>
    private async Task<Moved> MoveAsync(
        DbTransaction transaction, NoteRow note, NoteHoldings before, string fromId, string toId, Money amount, NoteEventType type, Caller caller,
        DiscountQuote? quote, bool toIsParty = false)
    {
        var result = before.Transfer(fromId, toId, amount);
        await WriteHoldingsAsync(transaction, note.Id, before, result.After);
        if (!toIsParty)
        {
            await AddPartyAsync(transaction, note.Id, toId);
        }
        var (eventId, at) = await AppendEventAsync(transaction, note.Id, NoteActor.Of(caller), new NoteEvent(type, result.Amount, fromId, toId, result.Moved, quote));
        return new Moved(eventId, result, at);
    }
}
