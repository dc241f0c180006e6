using NodaTime;

namespace FinanceChain.Domain;

/// <summary>Where a presentment for payment (提示付款) stands.</summary>
public enum PresentmentStatus
{
    /// <summary>Presented; the acceptor has not answered yet.</summary>
    Presented,
    /// <summary>Paid by the acceptor: those sub-notes leave circulation.</summary>
    Paid,
    /// <summary>Refused by the acceptor, or not answered in time (拒付): recourse is open.</summary>
    Dishonoured,
}

/// <summary>Where a recourse claim (追索) stands.</summary>
public enum RecourseStatus
{
    /// <summary>Claimed; the target has not paid.</summary>
    Open,
    /// <summary>Paid by the target: an endorser who paid now holds the sub-notes; the acceptor's payment ends them.</summary>
    Paid,
    /// <summary>Another claim on the same sub-notes was paid first, or the note was settled: nothing is owed on it any more.</summary>
    Superseded,
}

/// <summary>A holder's presentment of its balance for payment.</summary>
/// <param name="Id">Its id.</param>
/// <param name="HolderId">Who presented (the holder of <paramref name="Ranges"/> then).</param>
/// <param name="Ranges">The sub-notes presented.</param>
/// <param name="Status">Presented, paid or dishonoured.</param>
/// <param name="PresentedOn">The business date of presentment (Asia/Shanghai).</param>
/// <param name="AnswerDueDate">The last day the acceptor may answer; at its end an unanswered presentment is dishonoured.</param>
/// <param name="Reason">Why it was dishonoured (<see cref="MaturingNote.NoAnswerReason"/> when it was not answered).</param>
public sealed record Presentment(
    string Id, string HolderId, SubNoteRangeSet Ranges, PresentmentStatus Status, LocalDate PresentedOn, LocalDate AnswerDueDate, string? Reason = null);

/// <summary>A claim of the holder of dishonoured sub-notes against the acceptor or an earlier endorser.</summary>
/// <param name="Id">Its id.</param>
/// <param name="PresentmentId">The dishonoured presentment the sub-notes belong to.</param>
/// <param name="ClaimantId">Who claims (holds the sub-notes).</param>
/// <param name="TargetId">Whom it claims against.</param>
/// <param name="Ranges">The sub-notes claimed for; the amount is their face value.</param>
/// <param name="Status">Open, paid or superseded.</param>
public sealed record RecourseClaim(string Id, string PresentmentId, string ClaimantId, string TargetId, SubNoteRangeSet Ranges, RecourseStatus Status);

/// <summary>What the acceptor paid a holder, or a target a claimant.</summary>
/// <param name="HolderId">Who was paid.</param>
/// <param name="Ranges">For which sub-notes; the amount is their face value.</param>
public sealed record NotePayment(string HolderId, SubNoteRangeSet Ranges);

/// <summary>
/// A note at and after maturity: its holdings, its presentments for payment and its recourse claims, with the rules
/// of presentment (提示付款), payment, dishonour (拒付) and recourse (追索) under 票据法 and the electronic commercial
/// draft rules. Immutable: every operation returns the note after it and what changed, which the caller stores
/// under the note's lock. Invariants, checked whenever an instance is built: presentments never share a sub-note, a
/// presentment's or claim's sub-notes are units of the note, and an open claim's sub-notes are held by its claimant.
/// </summary>
/// <remarks>
/// A sub-note is paid when the presentment that covers it was paid, when the acceptor paid a recourse claim on it, when
/// the acceptor itself holds it, or when the note was settled. The note's status follows from its parts:
/// <see cref="NoteStatus.Settled"/> once every sub-note is paid, <see cref="NoteStatus.Dishonoured"/> while any
/// dishonoured sub-note is unpaid, <see cref="NoteStatus.Outstanding"/> otherwise.
/// </remarks>
public sealed class MaturingNote
{
    /// <summary>Days after the due date within which a holder presents for payment (the due date is day 0).</summary>
    public const int PresentmentPeriodDays = 10;

    /// <summary>The answer window when none is configured: the acceptor's business day after presentment, and its access bank's after that.</summary>
    public const int DefaultAnswerBusinessDays = 2;

    /// <summary>The reason of a dishonour for want of an answer within the window.</summary>
    public const string NoAnswerReason = "noAnswer";

    private MaturingNote(
        string acceptorId, LocalDate dueDate, bool settled, NoteHoldings holdings, IReadOnlyList<Presentment> presentments, IReadOnlyList<RecourseClaim> claims)
    {
        AcceptorId = acceptorId;
        DueDate = dueDate;
        IsSettled = settled;
        Holdings = holdings;
        Presentments = presentments;
        Claims = claims;
        CheckInvariant();
        PaidUnits = ComputePaidUnits();
        Status = ComputeStatus();
    }

    /// <summary>The acceptor (承兑人), who pays.</summary>
    public string AcceptorId { get; }

    /// <summary>The due date.</summary>
    public LocalDate DueDate { get; }

    /// <summary>Whether the acceptor settled the whole note at once.</summary>
    public bool IsSettled { get; }

    /// <summary>Who holds which sub-notes (paid ones stay with the holder who was paid).</summary>
    public NoteHoldings Holdings { get; }

    /// <summary>The presentments, oldest first.</summary>
    public IReadOnlyList<Presentment> Presentments { get; }

    /// <summary>The recourse claims, oldest first.</summary>
    public IReadOnlyList<RecourseClaim> Claims { get; }

    /// <summary>The sub-notes paid by the acceptor (or held by it, which it owes nobody).</summary>
    public SubNoteRangeSet PaidUnits { get; }

    /// <summary>Settled, dishonoured or outstanding, from the parts.</summary>
    public NoteStatus Status { get; }

    /// <summary>The sub-notes of dishonoured presentments that are not paid yet.</summary>
    public SubNoteRangeSet UnpaidDishonouredUnits =>
        SubNoteRangeSet.Of(Presentments.Where(p => p.Status == PresentmentStatus.Dishonoured).SelectMany(p => p.Ranges.Ranges)).Except(PaidUnits);

    /// <summary>A note with its parts as stored. Parts that contradict each other are an <see cref="InvalidOperationException"/>.</summary>
    public static MaturingNote Load(
        string acceptorId, LocalDate dueDate, bool settled, NoteHoldings holdings, IEnumerable<Presentment> presentments, IEnumerable<RecourseClaim> claims)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(acceptorId);
        ArgumentNullException.ThrowIfNull(holdings);
        return new MaturingNote(acceptorId, dueDate, settled, holdings, presentments.ToArray(), claims.ToArray());
    }

    /// <summary>The last day a holder may present: 10 days after the due date.</summary>
    public static LocalDate LastPresentmentDay(LocalDate dueDate) => dueDate.PlusDays(PresentmentPeriodDays);

    /// <summary>
    /// The last day the acceptor may answer a presentment made on <paramref name="presentedOn"/>: the
    /// <paramref name="businessDays"/>-th business day after it (票交所发〔2022〕2号: the acceptor answers by the next
    /// business day, its access bank by the one after; at that day's end no answer is a dishonour).
    /// </summary>
    public static LocalDate AnswerDueDate(LocalDate presentedOn, int businessDays, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return calendar.AddBusinessDays(presentedOn, businessDays);
    }

    /// <summary>
    /// <paramref name="holderId"/> presents its balance for payment on <paramref name="today"/>: every sub-note it holds
    /// that is neither presented nor paid. Only from the due date to <see cref="LastPresentmentDay"/>
    /// (<c>presentmentBeforeDueDate</c>, <c>presentmentWindowClosed</c>), once per holder
    /// (<c>presentmentAlreadyMade</c>), not by the acceptor (<c>presentmentByAcceptor</c>), not on a settled note
    /// (<c>noteSettled</c>), and not with nothing to present (<c>presentmentNothingToPresent</c>): all
    /// <see cref="DomainConflictException"/>.
    /// </summary>
    /// <remarks><paramref name="answerDueDate"/> gives the answer due date of a presentment made on a day; it is asked only once the presentment is allowed.</remarks>
    public (MaturingNote After, Presentment Presentment) Present(string presentmentId, string holderId, LocalDate today, Func<LocalDate, LocalDate> answerDueDate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(presentmentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(holderId);
        if (Status == NoteStatus.Settled)
        {
            throw new DomainConflictException("noteSettled");
        }

        if (today < DueDate)
        {
            throw new DomainConflictException("presentmentBeforeDueDate", DueDate);
        }

        if (today > LastPresentmentDay(DueDate))
        {
            throw new DomainConflictException("presentmentWindowClosed", DueDate, LastPresentmentDay(DueDate));
        }

        if (holderId == AcceptorId)
        {
            throw new DomainConflictException("presentmentByAcceptor");
        }

        if (Presentments.Any(p => p.HolderId == holderId))
        {
            throw new DomainConflictException("presentmentAlreadyMade");
        }

        var presented = SubNoteRangeSet.Of(Presentments.SelectMany(p => p.Ranges.Ranges));
        var ranges = HeldBy(holderId).Except(presented).Except(PaidUnits);
        if (ranges.IsEmpty)
        {
            throw new DomainConflictException("presentmentNothingToPresent");
        }

        ArgumentNullException.ThrowIfNull(answerDueDate);
        var presentment = new Presentment(presentmentId, holderId, ranges, PresentmentStatus.Presented, today, answerDueDate(today));
        return (With(presentments: [.. Presentments, presentment]), presentment);
    }

    /// <summary>
    /// The acceptor pays a presentment it has not answered yet, on or before its answer due date: 409
    /// <c>presentmentAnswered</c> or <c>presentmentAnswerWindowClosed</c> otherwise.
    /// </summary>
    public (MaturingNote After, Presentment Presentment, NotePayment Payment) Pay(string presentmentId, LocalDate today)
    {
        var presentment = EnsureAnswerable(presentmentId, today);
        var paid = presentment with { Status = PresentmentStatus.Paid };
        return (Replace(paid), paid, new NotePayment(paid.HolderId, paid.Ranges));
    }

    /// <summary>The acceptor refuses (拒付) a presentment it has not answered yet, with a reason; as <see cref="Pay"/> otherwise.</summary>
    public (MaturingNote After, Presentment Presentment) Dishonour(string presentmentId, string reason, LocalDate today)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var presentment = EnsureAnswerable(presentmentId, today);
        var dishonoured = presentment with { Status = PresentmentStatus.Dishonoured, Reason = reason };
        return (Replace(dishonoured), dishonoured);
    }

    /// <summary>
    /// A presentment still unanswered after its answer due date is taken as dishonoured, with reason
    /// <see cref="NoAnswerReason"/>. Null when it was answered meanwhile or its window is still open: nothing to do.
    /// </summary>
    public (MaturingNote After, Presentment Presentment)? DishonourUnanswered(string presentmentId, LocalDate today)
    {
        var presentment = Find(presentmentId);
        if (presentment.Status != PresentmentStatus.Presented || today <= presentment.AnswerDueDate)
        {
            return null;
        }

        var dishonoured = presentment with { Status = PresentmentStatus.Dishonoured, Reason = NoAnswerReason };
        return (Replace(dishonoured), dishonoured);
    }

    /// <summary>
    /// The sub-notes of a dishonoured presentment that <paramref name="holderId"/> holds and nobody has paid yet: what it
    /// may claim for. Empty when it holds none of them. A presentment that is not dishonoured is a 409
    /// <c>presentmentNotDishonoured</c>.
    /// </summary>
    public SubNoteRangeSet ClaimableBy(string presentmentId, string holderId)
    {
        var presentment = Find(presentmentId);
        if (presentment.Status != PresentmentStatus.Dishonoured)
        {
            throw new DomainConflictException("presentmentNotDishonoured", new TextRef("presentmentStatus" + presentment.Status));
        }

        return presentment.Ranges.Except(PaidUnits).Intersect(HeldBy(holderId));
    }

    /// <summary>
    /// Whom <paramref name="holderId"/> may pursue for the unpaid sub-notes of a dishonoured presentment it holds: the
    /// acceptor and the earlier endorsers of exactly those sub-notes (<see cref="NoteProvenance.TargetsFor"/>). Empty
    /// when it holds none of them.
    /// </summary>
    public IReadOnlyList<RecourseTarget> TargetsFor(string presentmentId, string holderId, NoteProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        var claimable = ClaimableBy(presentmentId, holderId);
        return claimable.IsEmpty ? [] : provenance.TargetsFor(holderId, claimable, AcceptorId);
    }

    /// <summary>
    /// <paramref name="claimantId"/> claims <paramref name="amount"/> against <paramref name="targetId"/> for sub-notes
    /// of a dishonoured presentment it holds: the lowest-numbered of those the target is liable for. Nothing of it held
    /// is <c>recourseNothingHeld</c>; a target not liable for them <c>recourseTargetNotLiable</c>; more than the target
    /// is liable for <c>recourseAmountExceedsLiability</c> (409s); an amount of zero <c>recourseAmountNotPositive</c>
    /// (400 on <c>amount</c>). A holder may claim against several targets for the same sub-notes (joint liability);
    /// the first to pay ends the others.
    /// </summary>
    public (MaturingNote After, RecourseClaim Claim) Claim(
        string claimId, string presentmentId, string claimantId, string targetId, Money amount, NoteProvenance provenance)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimId);
        if (amount.Fen <= 0)
        {
            throw new DomainValidationException("amount", "recourseAmountNotPositive");
        }

        var targets = TargetsFor(presentmentId, claimantId, provenance);
        if (targets.Count == 0)
        {
            throw new DomainConflictException("recourseNothingHeld");
        }

        var target = targets.FirstOrDefault(t => t.PartyId == targetId)
            ?? throw new DomainConflictException("recourseTargetNotLiable");
        if (amount > target.Amount)
        {
            throw new DomainConflictException("recourseAmountExceedsLiability", amount, target.Amount);
        }

        var claim = new RecourseClaim(claimId, presentmentId, claimantId, targetId, target.Ranges.TakeLowest(amount.Fen), RecourseStatus.Open);
        return (With(claims: [.. Claims, claim]), claim);
    }

    /// <summary>
    /// The target pays an open claim (409 <c>recourseNotOpen</c> otherwise). The acceptor's payment ends those
    /// sub-notes; an endorser who pays takes the claimant's place and holds them, and may pursue its own earlier
    /// endorsers or the acceptor. The claimant's other open claims on any of those sub-notes are superseded.
    /// </summary>
    public RecoursePaymentResult PayClaim(string claimId)
    {
        var claim = Claims.FirstOrDefault(c => c.Id == claimId) ?? throw new ArgumentException($"No claim {claimId} on this note.", nameof(claimId));
        if (claim.Status != RecourseStatus.Open)
        {
            throw new DomainConflictException("recourseNotOpen", new TextRef("recourseStatus" + claim.Status));
        }

        var holdings = Holdings;
        TransferResult? moved = null;
        if (claim.TargetId != AcceptorId)
        {
            moved = Holdings.Move(claim.ClaimantId, claim.TargetId, claim.Ranges);
            holdings = moved.After;
        }

        var paid = claim with { Status = RecourseStatus.Paid };
        var superseded = Claims
            .Where(c => c.Id != claim.Id && c.Status == RecourseStatus.Open && c.ClaimantId == claim.ClaimantId && c.Ranges.Overlaps(claim.Ranges))
            .Select(c => c with { Status = RecourseStatus.Superseded })
            .ToArray();
        var claims = Claims.Select(c => c.Id == paid.Id ? paid : superseded.FirstOrDefault(s => s.Id == c.Id) ?? c).ToArray();
        return new RecoursePaymentResult(With(holdings: holdings, claims: claims), paid, superseded, moved);
    }

    /// <summary>
    /// The acceptor pays every holder at once (on or after the due date; <c>noteNotDueYet</c>, <c>noteAlreadySettled</c>
    /// otherwise): each holder is paid its unpaid sub-notes, unanswered presentments become paid and open claims are
    /// superseded.
    /// </summary>
    public SettlementResult Settle(LocalDate today)
    {
        if (IsSettled || Status == NoteStatus.Settled)
        {
            throw new DomainConflictException("noteAlreadySettled");
        }

        if (today < DueDate)
        {
            throw new DomainConflictException("noteNotDueYet", DueDate);
        }

        var unpaid = SubNoteRangeSet.Whole(Holdings.TotalUnits).Except(PaidUnits);
        var payments = Holdings.Balances()
            .Select(b => new NotePayment(b.HolderId, HeldBy(b.HolderId).Intersect(unpaid)))
            .Where(p => !p.Ranges.IsEmpty)
            .ToArray();
        var paidPresentments = Presentments.Where(p => p.Status == PresentmentStatus.Presented).Select(p => p with { Status = PresentmentStatus.Paid }).ToArray();
        var superseded = Claims.Where(c => c.Status == RecourseStatus.Open).Select(c => c with { Status = RecourseStatus.Superseded }).ToArray();
        var after = new MaturingNote(
            AcceptorId, DueDate, settled: true, Holdings,
            Presentments.Select(p => paidPresentments.FirstOrDefault(x => x.Id == p.Id) ?? p).ToArray(),
            Claims.Select(c => superseded.FirstOrDefault(x => x.Id == c.Id) ?? c).ToArray());
        return new SettlementResult(after, payments, paidPresentments, superseded);
    }

    /// <summary>The presentment with this id; another id is an <see cref="ArgumentException"/> (the caller looks it up first).</summary>
    public Presentment Find(string presentmentId) =>
        Presentments.FirstOrDefault(p => p.Id == presentmentId) ?? throw new ArgumentException($"No presentment {presentmentId} on this note.", nameof(presentmentId));

    private SubNoteRangeSet HeldBy(string holderId) => SubNoteRangeSet.Of(Holdings.RangesOf(holderId));

    private Presentment EnsureAnswerable(string presentmentId, LocalDate today)
    {
        var presentment = Find(presentmentId);
        if (presentment.Status != PresentmentStatus.Presented)
        {
            throw new DomainConflictException("presentmentAnswered", new TextRef("presentmentStatus" + presentment.Status));
        }

        if (today > presentment.AnswerDueDate)
        {
            throw new DomainConflictException("presentmentAnswerWindowClosed", presentment.AnswerDueDate);
        }

        return presentment;
    }

    private MaturingNote Replace(Presentment presentment) =>
        With(presentments: Presentments.Select(p => p.Id == presentment.Id ? presentment : p).ToArray());

    private MaturingNote With(NoteHoldings? holdings = null, IReadOnlyList<Presentment>? presentments = null, IReadOnlyList<RecourseClaim>? claims = null) =>
        new(AcceptorId, DueDate, IsSettled, holdings ?? Holdings, presentments ?? Presentments, claims ?? Claims);

    private SubNoteRangeSet ComputePaidUnits()
    {
        if (IsSettled)
        {
            return SubNoteRangeSet.Whole(Holdings.TotalUnits);
        }

        return SubNoteRangeSet.Of(
            Presentments.Where(p => p.Status == PresentmentStatus.Paid).SelectMany(p => p.Ranges.Ranges)
                .Concat(Claims.Where(c => c.Status == RecourseStatus.Paid && c.TargetId == AcceptorId).SelectMany(c => c.Ranges.Ranges))
                .Concat(Holdings.RangesOf(AcceptorId)));
    }

    private NoteStatus ComputeStatus()
    {
        if (PaidUnits.Count == Holdings.TotalUnits)
        {
            return NoteStatus.Settled;
        }

        return UnpaidDishonouredUnits.IsEmpty ? NoteStatus.Outstanding : NoteStatus.Dishonoured;
    }

    private void CheckInvariant()
    {
        var whole = SubNoteRangeSet.Whole(Holdings.TotalUnits);
        var presented = SubNoteRangeSet.Empty;
        foreach (var presentment in Presentments)
        {
            if (!whole.Contains(presentment.Ranges) || presentment.Ranges.IsEmpty)
            {
                throw new InvalidOperationException($"Presentment {presentment.Id} covers units {presentment.Ranges} that are not the note's.");
            }

            if (presented.Overlaps(presentment.Ranges))
            {
                throw new InvalidOperationException($"Presentment {presentment.Id} presents units another presentment presented.");
            }

            presented = presented.Union(presentment.Ranges);
        }

        foreach (var claim in Claims)
        {
            var presentment = Presentments.FirstOrDefault(p => p.Id == claim.PresentmentId)
                ?? throw new InvalidOperationException($"Claim {claim.Id} names no presentment of this note.");
            if (!presentment.Ranges.Contains(claim.Ranges) || claim.Ranges.IsEmpty)
            {
                throw new InvalidOperationException($"Claim {claim.Id} claims units outside its presentment.");
            }

            if (claim.Status == RecourseStatus.Open && !IsSettled && !HeldBy(claim.ClaimantId).Contains(claim.Ranges))
            {
                throw new InvalidOperationException($"Open claim {claim.Id} is for units its claimant no longer holds.");
            }
        }
    }
}

/// <summary>What paying a recourse claim changed.</summary>
/// <param name="After">The note afterwards.</param>
/// <param name="Claim">The claim, now paid.</param>
/// <param name="Superseded">The claimant's other open claims on those sub-notes, now superseded.</param>
/// <param name="Moved">The sub-notes passing from the claimant to the endorser who paid; null when the acceptor paid.</param>
public sealed record RecoursePaymentResult(MaturingNote After, RecourseClaim Claim, IReadOnlyList<RecourseClaim> Superseded, TransferResult? Moved);

/// <summary>What settling the whole note changed.</summary>
/// <param name="After">The note afterwards: settled.</param>
/// <param name="Payments">Each holder paid, with the sub-notes it was paid for, in the order of the lowest it holds.</param>
/// <param name="PaidPresentments">Presentments that were waiting for an answer, now paid.</param>
/// <param name="Superseded">Claims that were open, now superseded.</param>
public sealed record SettlementResult(
    MaturingNote After, IReadOnlyList<NotePayment> Payments, IReadOnlyList<Presentment> PaidPresentments, IReadOnlyList<RecourseClaim> Superseded);
