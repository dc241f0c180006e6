using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Domain.Tests.Notes;

/// <summary>
/// A note of 1,000.00 yuan (units 1-100000) accepted by the core enterprise, due Tuesday 2026-09-01: the supplier
/// passed 600.00 on to the second supplier, who passed 200.00 on to the third.
/// </summary>
public class MaturingNoteTests
{
    private const string Core = "ent_core";
    private const string Supplier = "ent_supplier";
    private const string Second = "ent_second";
    private const string Third = "ent_third";
    private static readonly LocalDate Due = new(2026, 9, 1);

    private static readonly NoteEndorsement[] History =
    [
        new(Supplier, Second, SubNoteRangeSet.Parse("1-60000")),
        new(Second, Third, SubNoteRangeSet.Parse("1-20000")),
    ];

    private static readonly NoteProvenance Provenance = NoteProvenance.Replay(100_000, Supplier, History);

    private static MaturingNote Note()
    {
        var holdings = NoteHoldings.Issue(Money.FromYuan(1_000m), Supplier);
        holdings = holdings.Transfer(Supplier, Second, Money.FromYuan(600m)).After;
        holdings = holdings.Transfer(Second, Third, Money.FromYuan(200m)).After;
        return MaturingNote.Load(Core, Due, settled: false, holdings, [], []);
    }

    private static LocalDate Answer(LocalDate presentedOn) => MaturingNote.AnswerDueDate(presentedOn, 2, BusinessCalendar.China);

    [Theory]
    [InlineData(0)]  // the due date
    [InlineData(10)] // ten days after it
    public void Present_FromTheDueDateToTenDaysAfter_PresentsTheHoldersBalance(int daysAfterDue)
    {
        var today = Due.PlusDays(daysAfterDue);
        var (after, presentment) = Note().Present("prs_1", Third, today, Answer);

        Assert.Equal("1-20000", presentment.Ranges.ToString());
        Assert.Equal(PresentmentStatus.Presented, presentment.Status);
        Assert.Equal(today, presentment.PresentedOn);
        Assert.Equal(NoteStatus.Outstanding, after.Status);
    }

    [Fact]
    public void Present_TheDayBeforeTheDueDate_IsConflict()
    {
        var error = Assert.Throws<DomainConflictException>(() => Note().Present("prs_1", Third, Due.PlusDays(-1), Answer));

        Assert.Equal("presentmentBeforeDueDate", error.Code);
    }

    [Fact]
    public void Present_ElevenDaysAfterTheDueDate_IsConflict()
    {
        var error = Assert.Throws<DomainConflictException>(() => Note().Present("prs_1", Third, Due.PlusDays(11), Answer));

        Assert.Equal("presentmentWindowClosed", error.Code);
        Assert.Equal(new object?[] { Due, Due.PlusDays(10) }, error.Args);
    }

    [Fact]
    public void Present_Twice_ByTheAcceptor_OrWithNothing_AreConflicts()
    {
        var (after, _) = Note().Present("prs_1", Third, Due, Answer);

        Assert.Equal("presentmentAlreadyMade", Assert.Throws<DomainConflictException>(() => after.Present("prs_2", Third, Due, Answer)).Code);
        Assert.Equal("presentmentByAcceptor", Assert.Throws<DomainConflictException>(() => after.Present("prs_2", Core, Due, Answer)).Code);
        Assert.Equal("presentmentNothingToPresent", Assert.Throws<DomainConflictException>(() => after.Present("prs_2", "ent_stranger", Due, Answer)).Code);
    }

    [Fact]
    public void AnswerDueDate_IsTheSecondBusinessDayAfterPresentment()
    {
        Assert.Equal(new LocalDate(2026, 9, 3), Answer(Due));                       // Tuesday → Thursday
        Assert.Equal(new LocalDate(2026, 9, 8), Answer(new LocalDate(2026, 9, 4))); // Friday → Tuesday
        Assert.Equal(new LocalDate(2026, 10, 9), Answer(new LocalDate(2026, 9, 30))); // over National Day: 10-08, then 10-09
        Assert.Equal(new LocalDate(2026, 10, 10), MaturingNote.AnswerDueDate(new LocalDate(2026, 10, 8), 2, BusinessCalendar.China)); // a Saturday worked
    }

    [Fact]
    public void Pay_ThenEveryHolderPaid_SettlesTheNote()
    {
        var note = Note();
        foreach (var (holder, id) in new[] { (Third, "prs_1"), (Second, "prs_2"), (Supplier, "prs_3") })
        {
            note = note.Present(id, holder, Due, Answer).After;
        }

        var (afterFirst, paid, payment) = note.Pay("prs_1", Due.PlusDays(2));
        Assert.Equal(PresentmentStatus.Paid, paid.Status);
        Assert.Equal(new NotePayment(Third, SubNoteRangeSet.Parse("1-20000")), payment);
        Assert.Equal(NoteStatus.Outstanding, afterFirst.Status);

        var settled = afterFirst.Pay("prs_2", Due).After.Pay("prs_3", Due).After;
        Assert.Equal(NoteStatus.Settled, settled.Status);
        Assert.Equal(100_000, settled.PaidUnits.Count);
    }

    [Fact]
    public void Answer_AfterTheWindow_OrTwice_IsConflict()
    {
        var presented = Note().Present("prs_1", Third, Due, Answer).After;

        Assert.Equal("presentmentAnswerWindowClosed", Assert.Throws<DomainConflictException>(() => presented.Pay("prs_1", new LocalDate(2026, 9, 4))).Code);
        var paid = presented.Pay("prs_1", new LocalDate(2026, 9, 3)).After;
        Assert.Equal("presentmentAnswered", Assert.Throws<DomainConflictException>(() => paid.Dishonour("prs_1", "x", Due)).Code);
    }

    [Fact]
    public void DishonourUnanswered_OnlyAfterTheAnswerDueDate_AndOnlyOnce()
    {
        var presented = Note().Present("prs_1", Third, Due, Answer).After;

        Assert.Null(presented.DishonourUnanswered("prs_1", new LocalDate(2026, 9, 3)));
        var (after, dishonoured) = presented.DishonourUnanswered("prs_1", new LocalDate(2026, 9, 4))!.Value;

        Assert.Equal((PresentmentStatus.Dishonoured, MaturingNote.NoAnswerReason), (dishonoured.Status, dishonoured.Reason));
        Assert.Equal(NoteStatus.Dishonoured, after.Status);
        Assert.Null(after.DishonourUnanswered("prs_1", new LocalDate(2026, 9, 5)));
    }

    [Fact]
    public void Dishonoured_TheLastHolderPursuesItsEndorser_WhoPursuesTheAcceptor()
    {
        var note = Note().Present("prs_1", Third, Due, Answer).After.Dishonour("prs_1", "账户余额不足", Due).After;
        Assert.Equal(NoteStatus.Dishonoured, note.Status);

        // The third supplier may pursue the acceptor, the supplier and the second supplier, for all 200.00.
        var targets = note.TargetsFor("prs_1", Third, Provenance);
        Assert.Equal([Core, Supplier, Second], targets.Select(t => t.PartyId)); // the acceptor, then in the order they held it
        Assert.All(targets, t => Assert.Equal(Money.FromYuan(200m), t.Amount));

        // It claims against the second supplier, which pays and takes its place.
        var (claimed, claim) = note.Claim("rcl_1", "prs_1", Third, Second, Money.FromYuan(200m), Provenance);
        var paid = claimed.PayClaim(claim.Id);
        Assert.Equal(RecourseStatus.Paid, paid.Claim.Status);
        Assert.Equal("1-20000", SubNoteRangeSet.Of(paid.Moved!.Moved).ToString());
        Assert.Equal(Money.FromYuan(600m), paid.After.Holdings.Held(Second)); // its 400.00 and the 200.00 it paid for
        Assert.Equal(NoteStatus.Dishonoured, paid.After.Status);

        // The second supplier's own targets: the acceptor and the supplier, not the third supplier it passed it to.
        var provenance = Provenance.Apply(new NoteEndorsement(Third, Second, claim.Ranges));
        Assert.Equal([Core, Supplier], paid.After.TargetsFor("prs_1", Second, provenance).Select(t => t.PartyId));
        Assert.Empty(paid.After.TargetsFor("prs_1", Third, provenance));

        // It claims against the acceptor, which pays: those sub-notes are paid.
        var (claimed2, claim2) = paid.After.Claim("rcl_2", "prs_1", Second, Core, Money.FromYuan(200m), provenance);
        var final = claimed2.PayClaim(claim2.Id);
        Assert.Null(final.Moved);
        Assert.Equal(NoteStatus.Outstanding, final.After.Status);
        Assert.Equal("1-20000", final.After.PaidUnits.ToString());
        Assert.True(final.After.UnpaidDishonouredUnits.IsEmpty);
    }

    [Fact]
    public void Claim_MustBeWithinTheTargetsLiability()
    {
        var note = Note().Present("prs_1", Third, Due, Answer).After.Dishonour("prs_1", "x", Due).After;

        Assert.Equal("recourseTargetNotLiable", Assert.Throws<DomainConflictException>(() => note.Claim("c", "prs_1", Third, "ent_stranger", Money.FromYuan(1m), Provenance)).Code);
        var tooMuch = Assert.Throws<DomainConflictException>(() => note.Claim("c", "prs_1", Third, Second, Money.FromYuan(200.01m), Provenance));
        Assert.Equal("recourseAmountExceedsLiability", tooMuch.Code);
        Assert.Equal("recourseNothingHeld", Assert.Throws<DomainConflictException>(() => note.Claim("c", "prs_1", Second, Supplier, Money.FromYuan(1m), Provenance)).Code);
        Assert.Equal("amount", Assert.Throws<DomainValidationException>(() => note.Claim("c", "prs_1", Third, Second, Money.Zero, Provenance)).Field);
        var presented = Note().Present("prs_1", Third, Due, Answer).After;
        Assert.Equal("presentmentNotDishonoured", Assert.Throws<DomainConflictException>(() => presented.Claim("c", "prs_1", Third, Second, Money.FromYuan(1m), Provenance)).Code);
    }

    [Fact]
    public void ClaimsAgainstSeveral_TheFirstToPayEndsTheOthers()
    {
        var note = Note().Present("prs_1", Third, Due, Answer).After.Dishonour("prs_1", "x", Due).After;
        var (one, againstSecond) = note.Claim("rcl_1", "prs_1", Third, Second, Money.FromYuan(200m), Provenance);
        var (two, againstCore) = one.Claim("rcl_2", "prs_1", Third, Core, Money.FromYuan(50m), Provenance);

        var paid = two.PayClaim(againstCore.Id);

        Assert.Equal([againstSecond.Id], paid.Superseded.Select(c => c.Id));
        Assert.Equal("recourseNotOpen", Assert.Throws<DomainConflictException>(() => paid.After.PayClaim(againstSecond.Id)).Code);
        Assert.Equal("1-5000", paid.After.PaidUnits.ToString());
        // What is still unpaid may be claimed again.
        var again = paid.After.Claim("rcl_3", "prs_1", Third, Second, Money.FromYuan(150m), Provenance).Claim;
        Assert.Equal("5001-20000", again.Ranges.ToString());
    }

    [Fact]
    public void Settle_PaysEveryHoldersUnpaidSubNotes_AndEndsOpenClaims()
    {
        var note = Note().Present("prs_1", Third, Due, Answer).After.Dishonour("prs_1", "x", Due).After
            .Present("prs_2", Second, Due, Answer).After;
        var (claimed, _) = note.Claim("rcl_1", "prs_1", Third, Supplier, Money.FromYuan(200m), Provenance);

        var result = claimed.Settle(Due.PlusDays(3));

        Assert.Equal(NoteStatus.Settled, result.After.Status);
        Assert.Equal([(Third, "1-20000"), (Second, "20001-60000"), (Supplier, "60001-100000")], result.Payments.Select(p => (p.HolderId, p.Ranges.ToString())));
        Assert.Equal(["prs_2"], result.PaidPresentments.Select(p => p.Id));
        Assert.Equal(["rcl_1"], result.Superseded.Select(c => c.Id));
        Assert.Equal("noteAlreadySettled", Assert.Throws<DomainConflictException>(() => result.After.Settle(Due.PlusDays(3))).Code);
        Assert.Equal("noteNotDueYet", Assert.Throws<DomainConflictException>(() => Note().Settle(Due.PlusDays(-1))).Code);
    }

    [Fact]
    public void Load_RefusesPartsThatContradictEachOther()
    {
        var holdings = NoteHoldings.Issue(Money.FromYuan(1m), Supplier);
        var one = new Presentment("prs_1", Supplier, SubNoteRangeSet.Parse("1-100"), PresentmentStatus.Presented, Due, Due);

        Assert.Throws<InvalidOperationException>(() => MaturingNote.Load(Core, Due, false, holdings, [one, one with { Id = "prs_2" }], []));
        Assert.Throws<InvalidOperationException>(() => MaturingNote.Load(Core, Due, false, holdings, [one with { Ranges = SubNoteRangeSet.Parse("1-101") }], []));
        Assert.Throws<InvalidOperationException>(() => MaturingNote.Load(Core, Due, false, holdings, [one],
            [new RecourseClaim("rcl_1", "prs_1", Second, Core, SubNoteRangeSet.Parse("1-10"), RecourseStatus.Open)]));
    }
}
