using System.Data.Common;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using Microsoft.Extensions.Options;
using NodaTime;

namespace FinanceChain.Api.Notes;

internal sealed class PresentmentRow
{
    public string Id { get; set; } = "";
    public string NoteId { get; set; } = "";
    public string HolderId { get; set; } = "";
    public string? HolderName { get; set; }
    public string Ranges { get; set; } = "";
    public long AmountFen { get; set; }
    public string Status { get; set; } = "";
    public LocalDate PresentedOn { get; set; }
    public LocalDate AnswerDueDate { get; set; }
    public Instant PresentedAt { get; set; }
    public Instant? AnsweredAt { get; set; }
    public string? Reason { get; set; }

    public Presentment ToDomain() =>
        new(Id, HolderId, SubNoteRangeSet.Parse(Ranges), EnumText.Parse<PresentmentStatus>(Status), PresentedOn, AnswerDueDate, Reason);

    public PresentmentResponse ToResponse() => new(
        Id, NoteId, HolderId, HolderName, Money.FromFen(AmountFen).Yuan, SubNoteRangeSet.Parse(Ranges).Ranges.Select(SubNoteRangeResponse.Of).ToList(),
        EnumText.Parse<PresentmentStatus>(Status), PresentedOn, AnswerDueDate, PresentedAt, AnsweredAt, Reason);
}

internal sealed class RecourseRow
{
    public string Id { get; set; } = "";
    public string NoteId { get; set; } = "";
    public string PresentmentId { get; set; } = "";
    public string ClaimantId { get; set; } = "";
    public string? ClaimantName { get; set; }
    public string TargetId { get; set; } = "";
    public string? TargetName { get; set; }
    public string Ranges { get; set; } = "";
    public long AmountFen { get; set; }
    public string Status { get; set; } = "";
    public Instant ClaimedAt { get; set; }
    public Instant? ClosedAt { get; set; }

    public RecourseClaim ToDomain() =>
        new(Id, PresentmentId, ClaimantId, TargetId, SubNoteRangeSet.Parse(Ranges), EnumText.Parse<RecourseStatus>(Status));

    public RecourseResponse ToResponse() => new(
        Id, NoteId, PresentmentId, ClaimantId, ClaimantName, TargetId, TargetName, Money.FromFen(AmountFen).Yuan,
        SubNoteRangeSet.Parse(Ranges).Ranges.Select(SubNoteRangeResponse.Of).ToList(), EnumText.Parse<RecourseStatus>(Status), ClaimedAt, ClosedAt);
}

/// <summary>The notes feature: the <c>Notes</c> configuration section.</summary>
public sealed class NoteOptions
{
    public const string Section = "Notes";

    /// <summary>
    /// Business days after a presentment by the end of which the acceptor must answer (default 2: its own business day
    /// after presentment, then its access bank's, 票交所发〔2022〕2号); an unanswered presentment is dishonoured then.
    /// </summary>
    public int AnswerBusinessDays { get; set; } = MaturingNote.DefaultAnswerBusinessDays;

    /// <summary>
    /// A calendar file in the embedded file's form (<c>{ "source", "years": { "2027": { "holidays", "workdays" } } }</c>),
    /// absolute or relative to the content root, whose years are added to the embedded calendar (a year in both is
    /// taken from the file). Unset: the embedded calendar alone.
    /// </summary>
    public string? CalendarFile { get; set; }
}

/// <summary>
/// A note at maturity: presentments for payment (提示付款), the acceptor's payment or dishonour (拒付), the dishonour of
/// unanswered presentments, recourse targets and claims (追索), and settlement of the whole note. The rules are
/// <see cref="MaturingNote"/>'s; this class loads a note's parts under its lock, applies one rule, and stores what
/// changed with the note's history events and audit entries in the same transaction.
/// </summary>
/// <remarks>
/// As for transfers, a caller who may not see the note is refused from a plain read before any lock is taken (404),
/// and one who may see it but may not do this (the acceptor answers and settles, the target pays a claim) gets 403.
/// Recourse targets come from each range's own chain of endorsements, replayed from the note's history
/// (<see cref="NoteProvenance"/>), never from the merged holdings.
/// </remarks>
public sealed class NoteMaturityStore(Db db, NoteStore notes, AuditLog audit, BusinessCalendar calendar, IOptions<NoteOptions> options, IClock clock)
{
    /// <summary>The actor key id of the job that dishonours unanswered presentments (<see cref="PresentmentAnswerJob"/>).</summary>
    public const string AnswerJobActor = "note-presentment-answers";

    private const string SelectPresentment = """
        SELECT pr.id, pr.note_id AS NoteId, pr.holder_id AS HolderId, COALESCE(e.name, i.name) AS HolderName, pr.ranges, pr.amount_fen AS AmountFen,
               pr.status, pr.presented_on AS PresentedOn, pr.answer_due_date AS AnswerDueDate, pr.presented_at AS PresentedAt,
               pr.answered_at AS AnsweredAt, pr.reason
        FROM note_presentments pr
        LEFT JOIN enterprises e ON e.id = pr.holder_id
        LEFT JOIN institutions i ON i.id = pr.holder_id
        """;

    private const string SelectRecourse = """
        SELECT r.id, r.note_id AS NoteId, r.presentment_id AS PresentmentId, r.claimant_id AS ClaimantId, COALESCE(ce.name, ci.name) AS ClaimantName,
               r.target_id AS TargetId, COALESCE(te.name, ti.name) AS TargetName, r.ranges, r.amount_fen AS AmountFen, r.status,
               r.claimed_at AS ClaimedAt, r.closed_at AS ClosedAt
        FROM note_recourse r
        LEFT JOIN enterprises ce ON ce.id = r.claimant_id
        LEFT JOIN institutions ci ON ci.id = r.claimant_id
        LEFT JOIN enterprises te ON te.id = r.target_id
        LEFT JOIN institutions ti ON ti.id = r.target_id
        """;

    internal const string PresentmentsOfNoteSql = SelectPresentment + " WHERE pr.note_id = @NoteId ORDER BY pr.id";
    internal const string PresentmentPageSql = SelectPresentment + " WHERE pr.note_id = @NoteId AND pr.id > @After ORDER BY pr.id {limit}";
    internal const string PresentmentSql = SelectPresentment + " WHERE pr.note_id = @NoteId AND pr.id = @Id";
    internal const string RecourseOfNoteSql = SelectRecourse + " WHERE r.note_id = @NoteId ORDER BY r.id";
    internal const string RecoursePageSql = SelectRecourse + " WHERE r.note_id = @NoteId AND r.id > @After ORDER BY r.id {limit}";
    internal const string RecourseSql = SelectRecourse + " WHERE r.note_id = @NoteId AND r.id = @Id";

    internal const string InsertPresentmentSql = """
        INSERT INTO note_presentments (id, note_id, holder_id, ranges, amount_fen, status, presented_on, answer_due_date, presented_at, answered_at, reason)
        VALUES (@Id, @NoteId, @HolderId, @Ranges, @AmountFen, @Status, @PresentedOn, @AnswerDueDate, @PresentedAt, NULL, NULL)
        """;

    internal const string AnswerPresentmentSql = """
        UPDATE note_presentments SET status = @Status, answered_at = @At, reason = @Reason
        WHERE id = @Id AND note_id = @NoteId AND status = @Expected
        """;

    internal const string InsertRecourseSql = """
        INSERT INTO note_recourse (id, note_id, presentment_id, claimant_id, target_id, ranges, amount_fen, status, claimed_at, closed_at)
        VALUES (@Id, @NoteId, @PresentmentId, @ClaimantId, @TargetId, @Ranges, @AmountFen, @Status, @ClaimedAt, NULL)
        """;

    internal const string CloseRecourseSql = """
        UPDATE note_recourse SET status = @Status, closed_at = @At
        WHERE id = @Id AND note_id = @NoteId AND status = @Expected
        """;

    /// <summary>Presentments still unanswered after their answer due date, oldest due first (the job's work list).</summary>
    internal const string UnansweredSql = """
        SELECT id AS PresentmentId, note_id AS NoteId FROM note_presentments
        WHERE status = @Presented AND answer_due_date < @Today
        ORDER BY answer_due_date, id {limit}
        """;

    private static readonly string Presented = EnumText.Of(PresentmentStatus.Presented);
    private static readonly string Open = EnumText.Of(RecourseStatus.Open);

    private int AnswerBusinessDays => options.Value.AnswerBusinessDays;

    /// <summary>
    /// The calling holder presents its balance for payment (from the due date to 10 days after it, once). Not visible:
    /// 404; outside the window, already presented, the acceptor itself or nothing to present: 409.
    /// </summary>
    public async Task<PresentmentResponse> PresentAsync(string noteId, Caller caller, CancellationToken cancellationToken)
    {
        var holderId = NoteStore.PartyOf(caller) ?? throw new InvalidOperationException("A holder is an enterprise or a bank.");
        var visible = await notes.VisibleAsync(noteId, caller, cancellationToken) ?? throw new NotFoundException("note");
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var (note, maturing) = await LoadAsync(transaction, visible.Id);
            var today = clock.Today();
            var (_, presentment) = maturing.Present(Ids.New("prs"), holderId, today, day => MaturingNote.AnswerDueDate(day, AnswerBusinessDays, calendar));
            await connection.ExecuteAsync(InsertPresentmentSql, new
            {
                presentment.Id,
                NoteId = note.Id,
                presentment.HolderId,
                Ranges = presentment.Ranges.ToString(),
                AmountFen = presentment.Ranges.Count,
                Status = Presented,
                presentment.PresentedOn,
                presentment.AnswerDueDate,
                PresentedAt = clock.GetCurrentInstant(),
            }, transaction);
            var actor = NoteActor.Of(caller);
            await notes.AppendEventAsync(transaction, note.Id, actor, new NoteEvent(
                NoteEventType.Presented, presentment.Ranges.Amount, presentment.HolderId, note.AcceptorId, presentment.Ranges.Ranges, PresentmentId: presentment.Id));
            await audit.AppendAsync(transaction, caller, "note.presented", "note", note.Id, new
            {
                presentmentId = presentment.Id,
                holderId,
                amount = presentment.Ranges.Amount.Yuan,
                ranges = presentment.Ranges.ToString(),
                answerDueDate = NoteStore.Iso(presentment.AnswerDueDate),
            });
            return await PresentmentAsync(connection, transaction, note.Id, presentment.Id);
        }, cancellationToken);
    }

    /// <summary>
    /// The acceptor pays a presentment it has not answered, by its answer due date. Not visible: 404; not the acceptor:
    /// 403; an unknown presentment: 404; answered or too late: 409. The note is settled once every sub-note is paid.
    /// </summary>
    public Task<PresentmentResponse> PayPresentmentAsync(string noteId, string presentmentId, Caller caller, CancellationToken cancellationToken) =>
        AnswerAsync(noteId, presentmentId, caller, reason: null, cancellationToken);

    /// <summary>The acceptor refuses (拒付) a presentment, with a reason; as <see cref="PayPresentmentAsync"/> otherwise.</summary>
    public Task<PresentmentResponse> DishonourAsync(string noteId, string presentmentId, DishonourRequest request, Caller caller, CancellationToken cancellationToken) =>
        AnswerAsync(noteId, presentmentId, caller, request.Reason.Trim(), cancellationToken);

    /// <summary>
    /// Takes an unanswered presentment past its answer due date as dishonoured (reason <c>noAnswer</c>), under the note's
    /// lock, by <paramref name="actor"/> (the job). False when it was answered meanwhile or is not late yet.
    /// </summary>
    internal async Task<bool> DishonourUnansweredAsync(string noteId, string presentmentId, NoteActor actor, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            var (note, maturing) = await LoadAsync(transaction, noteId);
            if (maturing.Presentments.All(p => p.Id != presentmentId)
                || maturing.DishonourUnanswered(presentmentId, clock.Today()) is not { } result)
            {
                return false;
            }

            await StoreAnswerAsync(transaction, note, maturing, result.Presentment, payment: null, actor);
            await audit.AppendAsync(transaction, actor.KeyId, actor.Role, "note.dishonoured", "note", note.Id, new
            {
                presentmentId,
                holderId = result.Presentment.HolderId,
                amount = result.Presentment.Ranges.Amount.Yuan,
                reason = MaturingNote.NoAnswerReason,
                answerDueDate = NoteStore.Iso(result.Presentment.AnswerDueDate),
            });
            await FinishAsync(transaction, note, result.After, actor);
            return true;
        }, cancellationToken);

    /// <summary>The note's presentments, by id, for whoever may see the note.</summary>
    public async Task<Page<PresentmentResponse>> ListPresentmentsAsync(string noteId, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var note = await NoteStore.FindVisibleAsync(connection, null, noteId, caller) ?? throw new NotFoundException("note");
        var rows = (await connection.QueryAsync<PresentmentRow>(db.Sql(PresentmentPageSql), new { NoteId = note.Id, page.After, limit = page.FetchLimit })).AsList();
        return page.ToPage(rows, r => r.Id, r => r.ToResponse());
    }

    /// <summary>One presentment, for whoever may see the note (404 <c>noteNotFound</c> for anyone else); null when the note has no such presentment.</summary>
    public async Task<PresentmentResponse?> GetPresentmentAsync(string noteId, string presentmentId, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var note = await NoteStore.FindVisibleAsync(connection, null, noteId, caller) ?? throw new NotFoundException("note");
        return (await connection.QuerySingleOrDefaultAsync<PresentmentRow>(PresentmentSql, new { NoteId = note.Id, Id = presentmentId }))?.ToResponse();
    }

    /// <summary>
    /// Whom the holder of a dishonoured presentment's unpaid sub-notes may pursue: the caller when it holds some of them,
    /// else <paramref name="holderId"/> when given, else the presenter. Not visible: 404; unknown presentment: 404; not
    /// dishonoured: 409.
    /// </summary>
    /// <remarks>Read under the note's lock, so that holdings, claims and history are read as one state.</remarks>
    public async Task<RecourseTargetsResponse> TargetsAsync(string noteId, string presentmentId, string? holderId, Caller caller, CancellationToken cancellationToken)
    {
        var visible = await notes.VisibleAsync(noteId, caller, cancellationToken) ?? throw new NotFoundException("note");
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var (note, maturing) = await LoadAsync(transaction, visible.Id);
            var presentment = maturing.Presentments.FirstOrDefault(p => p.Id == presentmentId) ?? throw new NotFoundException("presentment");
            var party = NoteStore.PartyOf(caller);
            var holder = party is not null && !maturing.ClaimableBy(presentment.Id, party).IsEmpty ? party : holderId ?? presentment.HolderId;
            var claimable = maturing.ClaimableBy(presentment.Id, holder);
            var targets = claimable.IsEmpty ? [] : maturing.TargetsFor(presentment.Id, holder, await ProvenanceAsync(transaction, note));
            var names = await NoteStore.PartyNamesAsync(connection, transaction, targets.Select(t => t.PartyId).Append(holder));
            return new RecourseTargetsResponse(
                note.Id, presentment.Id, holder, names.GetValueOrDefault(holder), claimable.Amount.Yuan, Ranges(claimable),
                targets.Select(t => new RecourseTargetResponse(t.PartyId, names.GetValueOrDefault(t.PartyId), t.Kind, t.Amount.Yuan, Ranges(t.Ranges))).ToList());
        }, cancellationToken);
    }

    /// <summary>
    /// The calling holder of a dishonoured presentment's unpaid sub-notes claims <c>amount</c> against the acceptor or an
    /// earlier endorser of them. Not visible: 404; unknown presentment: 404; not dishonoured, nothing held, a target not
    /// liable, more than it is liable for: 409.
    /// </summary>
    public async Task<RecourseResponse> ClaimAsync(string noteId, ClaimRecourseRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var claimantId = NoteStore.PartyOf(caller) ?? throw new InvalidOperationException("A holder is an enterprise or a bank.");
        var amount = Money.FromYuan(request.Amount);
        var visible = await notes.VisibleAsync(noteId, caller, cancellationToken) ?? throw new NotFoundException("note");
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var (note, maturing) = await LoadAsync(transaction, visible.Id);
            if (maturing.Presentments.All(p => p.Id != request.PresentmentId))
            {
                throw new NotFoundException("presentment");
            }

            var (_, claim) = maturing.Claim(Ids.New("rcl"), request.PresentmentId, claimantId, request.TargetId, amount, await ProvenanceAsync(transaction, note));
            await connection.ExecuteAsync(InsertRecourseSql, new
            {
                claim.Id,
                NoteId = note.Id,
                claim.PresentmentId,
                claim.ClaimantId,
                claim.TargetId,
                Ranges = claim.Ranges.ToString(),
                AmountFen = claim.Ranges.Count,
                Status = Open,
                ClaimedAt = clock.GetCurrentInstant(),
            }, transaction);
            await notes.AppendEventAsync(transaction, note.Id, NoteActor.Of(caller), new NoteEvent(
                NoteEventType.RecourseClaimed, claim.Ranges.Amount, claim.ClaimantId, claim.TargetId, claim.Ranges.Ranges,
                PresentmentId: claim.PresentmentId, RecourseId: claim.Id));
            await audit.AppendAsync(transaction, caller, "note.recourseClaimed", "note", note.Id, new
            {
                recourseId = claim.Id,
                claim.PresentmentId,
                claim.ClaimantId,
                claim.TargetId,
                amount = amount.Yuan,
                ranges = claim.Ranges.ToString(),
            });
            return (await connection.QuerySingleAsync<RecourseRow>(RecourseSql, new { NoteId = note.Id, claim.Id }, transaction)).ToResponse();
        }, cancellationToken);
    }

    /// <summary>
    /// The target pays an open claim: an endorser takes over the sub-notes and may pursue its own earlier endorsers or
    /// the acceptor; the acceptor's payment ends them. Not visible: 404; unknown claim: 404; not its target: 403; not
    /// open: 409.
    /// </summary>
    public async Task<RecourseResponse> PayClaimAsync(string noteId, string recourseId, Caller caller, CancellationToken cancellationToken)
    {
        var visible = await notes.VisibleAsync(noteId, caller, cancellationToken) ?? throw new NotFoundException("note");
        var seen = await db.QuerySingleOrDefaultAsync<RecourseRow>(RecourseSql, new { NoteId = visible.Id, Id = recourseId }, cancellationToken)
            ?? throw new NotFoundException("recourse");
        if (seen.TargetId != NoteStore.PartyOf(caller))
        {
            throw new ForbiddenException("recourseOnlyTargetPays");
        }

        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var (note, maturing) = await LoadAsync(transaction, visible.Id);
            var result = maturing.PayClaim(seen.Id);
            var actor = NoteActor.Of(caller);
            var now = clock.GetCurrentInstant();
            await CloseClaimAsync(transaction, note.Id, result.Claim, now);
            if (result.Moved is { } moved)
            {
                await NoteStore.WriteHoldingsAsync(transaction, note.Id, maturing.Holdings, moved.After);
            }

            var claim = result.Claim;
            await notes.AppendEventAsync(transaction, note.Id, actor, new NoteEvent(
                NoteEventType.RecoursePaid, claim.Ranges.Amount, claim.TargetId, claim.ClaimantId, claim.Ranges.Ranges,
                PresentmentId: claim.PresentmentId, RecourseId: claim.Id));
            await audit.AppendAsync(transaction, caller, "note.recoursePaid", "note", note.Id, new
            {
                recourseId = claim.Id,
                claim.PresentmentId,
                paidBy = claim.TargetId,
                paidTo = claim.ClaimantId,
                amount = claim.Ranges.Amount.Yuan,
                ranges = claim.Ranges.ToString(),
                heldBy = result.Moved is null ? null : claim.TargetId,
                superseded = result.Superseded.Select(s => s.Id),
            });
            await SupersedeAsync(transaction, note.Id, result.Superseded, actor, now);
            await FinishAsync(transaction, note, result.After, actor);
            return (await connection.QuerySingleAsync<RecourseRow>(RecourseSql, new { NoteId = note.Id, claim.Id }, transaction)).ToResponse();
        }, cancellationToken);
    }

    /// <summary>The note's recourse claims, by id, for whoever may see the note.</summary>
    public async Task<Page<RecourseResponse>> ListClaimsAsync(string noteId, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var note = await NoteStore.FindVisibleAsync(connection, null, noteId, caller) ?? throw new NotFoundException("note");
        var rows = (await connection.QueryAsync<RecourseRow>(db.Sql(RecoursePageSql), new { NoteId = note.Id, page.After, limit = page.FetchLimit })).AsList();
        return page.ToPage(rows, r => r.Id, r => r.ToResponse());
    }

    /// <summary>One recourse claim, for whoever may see the note (404 <c>noteNotFound</c> for anyone else); null when the note has no such claim.</summary>
    public async Task<RecourseResponse?> GetClaimAsync(string noteId, string recourseId, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var note = await NoteStore.FindVisibleAsync(connection, null, noteId, caller) ?? throw new NotFoundException("note");
        return (await connection.QuerySingleOrDefaultAsync<RecourseRow>(RecourseSql, new { NoteId = note.Id, Id = recourseId }))?.ToResponse();
    }

    /// <summary>
    /// The acceptor's shortcut: on or after the due date it pays every holder its unpaid sub-notes at once; presentments
    /// waiting for an answer become paid and open claims end. Not visible: 404; not the acceptor: 403; before the due
    /// date or already settled: 409.
    /// </summary>
    public async Task<NoteResponse> SettleAsync(string noteId, Caller caller, CancellationToken cancellationToken)
    {
        var visible = await notes.VisibleAsync(noteId, caller, cancellationToken) ?? throw new NotFoundException("note");
        if (visible.AcceptorId != caller.EnterpriseId)
        {
            throw new ForbiddenException("noteOnlyAcceptorSettles");
        }

        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var (note, maturing) = await LoadAsync(transaction, visible.Id);
            var today = clock.Today();
            var result = maturing.Settle(today);
            var actor = NoteActor.Of(caller);
            var now = clock.GetCurrentInstant();
            await SupersedeAsync(transaction, note.Id, result.Superseded, actor, now);
            foreach (var presentment in result.PaidPresentments)
            {
                await UpdatePresentmentAsync(transaction, note.Id, presentment, now);
            }

            foreach (var payment in result.Payments)
            {
                var presentmentId = result.PaidPresentments.FirstOrDefault(p => p.HolderId == payment.HolderId)?.Id;
                await notes.AppendEventAsync(transaction, note.Id, actor, new NoteEvent(
                    NoteEventType.Paid, payment.Ranges.Amount, note.AcceptorId, payment.HolderId, payment.Ranges.Ranges, PresentmentId: presentmentId));
            }

            await FinishAsync(transaction, note, result.After, actor, auditSettlement: false);
            await audit.AppendAsync(transaction, caller, "note.settled", "note", note.Id, new
            {
                payments = result.Payments.Select(p => new { holderId = p.HolderId, amount = p.Ranges.Amount.Yuan }),
                presentmentsPaid = result.PaidPresentments.Select(p => p.Id),
                recourseSuperseded = result.Superseded.Select(c => c.Id),
            });
            var stored = await connection.QuerySingleAsync<NoteRow>(NoteStore.GetSql, new { note.Id }, transaction);
            return stored.ToResponse(await NoteStore.HoldingsResponseAsync(connection, transaction, note.Id), today);
        }, cancellationToken);
    }

    /// <summary>Presentments still unanswered after their answer due date on <paramref name="today"/>, oldest first, at most <paramref name="limit"/>.</summary>
    internal async Task<IReadOnlyList<(string PresentmentId, string NoteId)>> UnansweredAsync(LocalDate today, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync<(string PresentmentId, string NoteId)>(UnansweredSql, new { Presented, Today = today, limit }, cancellationToken);

    private async Task<PresentmentResponse> AnswerAsync(string noteId, string presentmentId, Caller caller, string? reason, CancellationToken cancellationToken)
    {
        var visible = await notes.VisibleAsync(noteId, caller, cancellationToken) ?? throw new NotFoundException("note");
        if (visible.AcceptorId != caller.EnterpriseId)
        {
            throw new ForbiddenException("presentmentOnlyAcceptorAnswers");
        }

        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var (note, maturing) = await LoadAsync(transaction, visible.Id);
            if (maturing.Presentments.All(p => p.Id != presentmentId))
            {
                throw new NotFoundException("presentment");
            }

            var today = clock.Today();
            var actor = NoteActor.Of(caller);
            if (reason is null)
            {
                var (after, paid, payment) = maturing.Pay(presentmentId, today);
                await StoreAnswerAsync(transaction, note, maturing, paid, payment, actor);
                await audit.AppendAsync(transaction, caller, "note.presentmentPaid", "note", note.Id, new
                {
                    presentmentId,
                    holderId = paid.HolderId,
                    amount = paid.Ranges.Amount.Yuan,
                    ranges = paid.Ranges.ToString(),
                });
                await FinishAsync(transaction, note, after, actor);
            }
            else
            {
                var (after, dishonoured) = maturing.Dishonour(presentmentId, reason, today);
                await StoreAnswerAsync(transaction, note, maturing, dishonoured, payment: null, actor);
                await audit.AppendAsync(transaction, caller, "note.dishonoured", "note", note.Id, new
                {
                    presentmentId,
                    holderId = dishonoured.HolderId,
                    amount = dishonoured.Ranges.Amount.Yuan,
                    reason,
                });
                await FinishAsync(transaction, note, after, actor);
            }

            return await PresentmentAsync(connection, transaction, note.Id, presentmentId);
        }, cancellationToken);
    }

    /// <summary>Stores a paid or dishonoured presentment and its event (the caller then audits it and stores the note's new status).</summary>
    private async Task StoreAnswerAsync(DbTransaction transaction, NoteRow note, MaturingNote before, Presentment presentment, NotePayment? payment, NoteActor actor)
    {
        var previous = before.Find(presentment.Id);
        await UpdatePresentmentAsync(transaction, note.Id, presentment, clock.GetCurrentInstant(), previous.Status);
        var type = payment is null ? NoteEventType.Dishonoured : NoteEventType.Paid;
        await notes.AppendEventAsync(transaction, note.Id, actor, new NoteEvent(
            type, presentment.Ranges.Amount, note.AcceptorId, presentment.HolderId, presentment.Ranges.Ranges,
            PresentmentId: presentment.Id, Reason: presentment.Reason));
    }

    private static async Task UpdatePresentmentAsync(DbTransaction transaction, string noteId, Presentment presentment, Instant at, PresentmentStatus expected = PresentmentStatus.Presented)
    {
        var changed = await transaction.Connection!.ExecuteAsync(AnswerPresentmentSql, new
        {
            presentment.Id,
            NoteId = noteId,
            Status = EnumText.Of(presentment.Status),
            Expected = EnumText.Of(expected),
            At = at,
            presentment.Reason,
        }, transaction);
        if (changed != 1)
        {
            throw new InvalidOperationException($"Presentment {presentment.Id} of note {noteId} changed under the note's lock.");
        }
    }

    private static async Task CloseClaimAsync(DbTransaction transaction, string noteId, RecourseClaim claim, Instant at)
    {
        var changed = await transaction.Connection!.ExecuteAsync(CloseRecourseSql, new
        {
            claim.Id,
            NoteId = noteId,
            Status = EnumText.Of(claim.Status),
            Expected = Open,
            At = at,
        }, transaction);
        if (changed != 1)
        {
            throw new InvalidOperationException($"Claim {claim.Id} of note {noteId} changed under the note's lock.");
        }
    }

    private async Task SupersedeAsync(DbTransaction transaction, string noteId, IReadOnlyList<RecourseClaim> superseded, NoteActor actor, Instant at)
    {
        foreach (var claim in superseded)
        {
            await CloseClaimAsync(transaction, noteId, claim, at);
            await notes.AppendEventAsync(transaction, noteId, actor, new NoteEvent(
                NoteEventType.RecourseSuperseded, claim.Ranges.Amount, claim.ClaimantId, claim.TargetId, claim.Ranges.Ranges,
                PresentmentId: claim.PresentmentId, RecourseId: claim.Id));
            await audit.AppendAsync(transaction, actor.KeyId, actor.Role, "note.recourseSuperseded", "note", noteId, new { recourseId = claim.Id, claim.ClaimantId, claim.TargetId });
        }
    }

    /// <summary>
    /// Stores the status the note's parts now give it; a note that became settled gets its <c>settled</c> event and,
    /// when its last sub-notes were paid part by part (<paramref name="auditSettlement"/>), its <c>note.settled</c> audit entry.
    /// </summary>
    private async Task FinishAsync(DbTransaction transaction, NoteRow note, MaturingNote after, NoteActor actor, bool auditSettlement = true)
    {
        var wasSettled = note.CurrentStatus == NoteStatus.Settled;
        await notes.SetStatusAsync(transaction, note, after.Status);
        if (!wasSettled && after.Status == NoteStatus.Settled)
        {
            await notes.AppendEventAsync(transaction, note.Id, actor, new NoteEvent(
                NoteEventType.Settled, Money.FromFen(note.AmountFen), note.AcceptorId, null, [SubNoteRange.Create(1, note.AmountFen)]));
            if (auditSettlement)
            {
                await audit.AppendAsync(transaction, actor.KeyId, actor.Role, "note.settled", "note", note.Id, new { paidInParts = true });
            }
        }
    }

    /// <summary>Takes the note's lock and reads its parts as they are under it.</summary>
    private static async Task<(NoteRow Note, MaturingNote Maturing)> LoadAsync(DbTransaction transaction, string noteId)
    {
        var connection = transaction.Connection!;
        var note = await NoteStore.LockAndReadAsync(transaction, noteId);
        var holdings = await NoteStore.LoadHoldingsAsync(connection, transaction, note);
        var presentments = await connection.QueryAsync<PresentmentRow>(PresentmentsOfNoteSql, new { NoteId = note.Id }, transaction);
        var claims = await connection.QueryAsync<RecourseRow>(RecourseOfNoteSql, new { NoteId = note.Id }, transaction);
        var maturing = MaturingNote.Load(
            note.AcceptorId, note.DueDate, note.CurrentStatus == NoteStatus.Settled, holdings,
            presentments.OrderBy(p => p.PresentedAt).ThenBy(p => p.Id, StringComparer.Ordinal).Select(p => p.ToDomain()),
            claims.OrderBy(c => c.ClaimedAt).ThenBy(c => c.Id, StringComparer.Ordinal).Select(c => c.ToDomain()));
        return (note, maturing);
    }

    /// <summary>
    /// Each range's chain of holders, replayed from the note's history: issue to the payee, then every transfer,
    /// discount, and paid recourse claim of an endorser (who takes the claimant's sub-notes).
    /// </summary>
    private static async Task<NoteProvenance> ProvenanceAsync(DbTransaction transaction, NoteRow note)
    {
        var events = await transaction.Connection!.QueryAsync<NoteEventRow>(NoteStore.EventsSql, new { NoteId = note.Id }, transaction);
        var endorsements = new List<NoteEndorsement>();
        foreach (var e in events)
        {
            switch (e.EventType)
            {
                case NoteEventType.Transferred or NoteEventType.Discounted:
                    endorsements.Add(new NoteEndorsement(e.FromId!, e.ToId!, SubNoteRangeSet.Of(e.ParsedRanges())));
                    break;
                case NoteEventType.RecoursePaid when e.FromId != note.AcceptorId:
                    // The payer (from) takes the claimant's (to) sub-notes.
                    endorsements.Add(new NoteEndorsement(e.ToId!, e.FromId!, SubNoteRangeSet.Of(e.ParsedRanges())));
                    break;
            }
        }

        return NoteProvenance.Replay(note.AmountFen, note.PayeeId, endorsements);
    }

    private static async Task<PresentmentResponse> PresentmentAsync(DbConnection connection, DbTransaction transaction, string noteId, string presentmentId) =>
        (await connection.QuerySingleAsync<PresentmentRow>(PresentmentSql, new { NoteId = noteId, Id = presentmentId }, transaction)).ToResponse();

    private static List<SubNoteRangeResponse> Ranges(SubNoteRangeSet set) => set.Ranges.Select(SubNoteRangeResponse.Of).ToList();
}
