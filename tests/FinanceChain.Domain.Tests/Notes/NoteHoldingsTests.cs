using FinanceChain.Domain;

namespace FinanceChain.Domain.Tests.Notes;

public class NoteHoldingsTests
{
    private const string Payee = "ent_payee";
    private const string Other = "ent_other";
    private const string Bank = "ins_bank";

    private static NoteHolding H(string holder, long from, long to) => new(holder, SubNoteRange.Create(from, to));

    [Fact]
    public void Issue_PayeeHoldsEveryUnit()
    {
        var holdings = NoteHoldings.Issue(Money.FromYuan(1_200_000m), Payee);

        Assert.Equal(120_000_000, holdings.TotalUnits);
        Assert.Equal(Money.FromYuan(1_200_000m), holdings.Amount);
        Assert.Equal([H(Payee, 1, 120_000_000)], holdings.Ranges);
        Assert.Equal(Money.FromYuan(1_200_000m), holdings.Held(Payee));
    }

    [Fact]
    public void Issue_ZeroAmount_IsValidationError()
    {
        var error = Assert.Throws<DomainValidationException>(() => NoteHoldings.Issue(Money.Zero, Payee));

        Assert.Equal("amount", error.Field);
    }

    [Fact]
    public void Issue_LargestAmount_IsOneRange()
    {
        var holdings = NoteHoldings.Issue(Money.MaxValue, Payee);

        Assert.Equal("1-1000000000000000", holdings.Ranges.Single().Range.ToString());
    }

    [Fact]
    public void Transfer_PartOf500000Note_ReceiverHoldsLowestUnits()
    {
        var note = NoteHoldings.Issue(Money.FromYuan(500_000m), Payee);

        var result = note.Transfer(Payee, Other, Money.FromYuan(150_000.25m));

        Assert.Equal([H(Other, 1, 15_000_025), H(Payee, 15_000_026, 50_000_000)], result.After.Ranges);
        Assert.Equal("1-15000025", result.After.RangesOf(Other).Single().ToString());
        Assert.Equal([SubNoteRange.Create(1, 15_000_025)], result.Moved);
        Assert.Equal(Money.FromYuan(150_000.25m), result.Amount);
        Assert.Equal(Money.FromYuan(150_000.25m), result.After.Held(Other));
        Assert.Equal(Money.FromYuan(349_999.75m), result.After.Held(Payee));
    }

    [Fact]
    public void Transfer_OneFen_MovesUnitOne()
    {
        var note = NoteHoldings.Issue(Money.FromYuan(100m), Payee);

        var result = note.Transfer(Payee, Other, Money.FromFen(1));

        Assert.Equal([H(Other, 1, 1), H(Payee, 2, 10_000)], result.After.Ranges);
    }

    [Fact]
    public void Transfer_WholeNote_ReceiverHoldsEverything()
    {
        var note = NoteHoldings.Issue(Money.FromYuan(100m), Payee);

        var result = note.Transfer(Payee, Other, Money.FromYuan(100m));

        Assert.Equal([H(Other, 1, 10_000)], result.After.Ranges);
        Assert.Equal(Money.Zero, result.After.Held(Payee));
        Assert.Empty(result.After.RangesOf(Payee));
    }

    [Fact]
    public void Transfer_MoreThanHeld_IsConflictAndChangesNothing()
    {
        var note = NoteHoldings.Issue(Money.FromYuan(500_000m), Payee)
            .Transfer(Payee, Other, Money.FromYuan(150_000.25m)).After;
        var before = note.Ranges.ToArray();

        var error = Assert.Throws<DomainConflictException>(
            () => note.Transfer(Other, Bank, Money.FromYuan(150_000.26m)));

        Assert.Equal("noteBalanceInsufficient", error.Code);
        Assert.Equal(new object?[] { Money.FromYuan(150_000.25m), Money.FromYuan(150_000.26m) }, error.Args);
        Assert.Equal(before, note.Ranges);
        Assert.Equal(Money.FromYuan(150_000.25m), note.Held(Other));
        Assert.Equal(Money.Zero, note.Held(Bank));
    }

    [Fact]
    public void Transfer_ExactlyWhatIsHeld_Succeeds()
    {
        var note = NoteHoldings.Issue(Money.FromYuan(500_000m), Payee)
            .Transfer(Payee, Other, Money.FromYuan(150_000.25m)).After;

        var result = note.Transfer(Other, Bank, Money.FromYuan(150_000.25m));

        Assert.Equal([H(Bank, 1, 15_000_025), H(Payee, 15_000_026, 50_000_000)], result.After.Ranges);
    }

    [Fact]
    public void Transfer_FromNonHolder_IsConflict()
    {
        var note = NoteHoldings.Issue(Money.FromYuan(100m), Payee);

        Assert.Throws<DomainConflictException>(() => note.Transfer(Other, Bank, Money.FromFen(1)));
    }

    [Fact]
    public void Transfer_ToSelf_IsValidationErrorAndChangesNothing()
    {
        var note = NoteHoldings.Issue(Money.FromYuan(100m), Payee);

        var error = Assert.Throws<DomainValidationException>(() => note.Transfer(Payee, Payee, Money.FromFen(1)));

        Assert.Equal("toEnterpriseId", error.Field);
        Assert.Equal([H(Payee, 1, 10_000)], note.Ranges);
    }

    [Fact]
    public void Transfer_ZeroAmount_IsValidationError()
    {
        var note = NoteHoldings.Issue(Money.FromYuan(100m), Payee);

        var error = Assert.Throws<DomainValidationException>(() => note.Transfer(Payee, Other, Money.Zero));

        Assert.Equal("amount", error.Field);
    }

    [Fact]
    public void Transfer_SpanningSeveralRanges_TakesLowestFirstAndSplitsTheLast()
    {
        // Payee holds 1-10 and 21-30 and 41-50; Other holds 11-20; Bank holds 31-40.
        var note = NoteHoldings.FromRanges(50,
        [
            H(Payee, 1, 10), H(Other, 11, 20), H(Payee, 21, 30), H(Bank, 31, 40), H(Payee, 41, 50),
        ]);

        var result = note.Transfer(Payee, Bank, Money.FromFen(15));

        Assert.Equal([SubNoteRange.Create(1, 10), SubNoteRange.Create(21, 25)], result.Moved);
        Assert.Equal(
            [H(Bank, 1, 10), H(Other, 11, 20), H(Bank, 21, 25), H(Payee, 26, 30), H(Bank, 31, 40), H(Payee, 41, 50)],
            result.After.Ranges);
    }

    [Fact]
    public void Transfer_JoiningAdjacentRangesOfReceiver_MergesThem()
    {
        // Other holds 1-10, Payee 11-20, Bank 21-30: when Payee sends all to Other, 1-20 is one range.
        var note = NoteHoldings.FromRanges(30, [H(Other, 1, 10), H(Payee, 11, 20), H(Bank, 21, 30)]);

        var result = note.Transfer(Payee, Other, Money.FromFen(10));

        Assert.Equal([H(Other, 1, 20), H(Bank, 21, 30)], result.After.Ranges);
    }

    [Fact]
    public void Transfer_PartThatTouchesReceiverBelow_MergesWithIt()
    {
        var note = NoteHoldings.FromRanges(30, [H(Other, 1, 10), H(Payee, 11, 30)]);

        var result = note.Transfer(Payee, Other, Money.FromFen(5));

        Assert.Equal([H(Other, 1, 15), H(Payee, 16, 30)], result.After.Ranges);
    }

    [Fact]
    public void Transfer_BackAndForth_RestoresOneRange()
    {
        var note = NoteHoldings.Issue(Money.FromYuan(10m), Payee);

        var there = note.Transfer(Payee, Other, Money.FromYuan(4m)).After;
        var back = there.Transfer(Other, Payee, Money.FromYuan(4m)).After;

        Assert.Equal([H(Payee, 1, 1000)], back.Ranges);
    }

    [Fact]
    public void Balances_ListEachHolderOnceByLowestUnit()
    {
        var note = NoteHoldings.FromRanges(50, [H(Other, 1, 10), H(Payee, 11, 20), H(Other, 21, 50)]);

        Assert.Equal(
            [new HolderBalance(Other, Money.FromFen(40)), new HolderBalance(Payee, Money.FromFen(10))],
            note.Balances());
    }

    [Fact]
    public void FromRanges_AnyOrder_IsSortedAndAdjacentRangesOfOneHolderMerged()
    {
        var note = NoteHoldings.FromRanges(30, [H(Bank, 21, 30), H(Payee, 11, 20), H(Payee, 1, 10)]);

        Assert.Equal([H(Payee, 1, 20), H(Bank, 21, 30)], note.Ranges);
    }

    [Fact]
    public void FromRanges_Gap_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => NoteHoldings.FromRanges(30, [H(Payee, 1, 10), H(Other, 12, 30)]));

        Assert.Contains("11-11", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRanges_MissingFirstUnits_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => NoteHoldings.FromRanges(30, [H(Payee, 2, 30)]));
    }

    [Fact]
    public void FromRanges_Overlap_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(
            () => NoteHoldings.FromRanges(30, [H(Payee, 1, 15), H(Other, 15, 30)]));
    }

    [Fact]
    public void FromRanges_SameRangeTwice_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(
            () => NoteHoldings.FromRanges(30, [H(Payee, 1, 30), H(Other, 1, 30)]));
    }

    [Fact]
    public void FromRanges_ShortOfTotal_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => NoteHoldings.FromRanges(30, [H(Payee, 1, 29)]));
    }

    [Fact]
    public void FromRanges_PastTotal_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => NoteHoldings.FromRanges(30, [H(Payee, 1, 31)]));
    }

    [Fact]
    public void FromRanges_NoRanges_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => NoteHoldings.FromRanges(30, []));
    }

    [Fact]
    public void FromRanges_HolderMissing_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => NoteHoldings.FromRanges(30, [H(" ", 1, 30)]));
    }

    [Fact]
    public void FromRanges_DefaultRange_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(
            () => NoteHoldings.FromRanges(30, [new NoteHolding(Payee, default), H(Payee, 1, 30)]));
    }

    [Fact]
    public void FromRanges_WhatTransfersProduced_RoundTrips()
    {
        var note = NoteHoldings.Issue(Money.FromYuan(500_000m), Payee)
            .Transfer(Payee, Other, Money.FromYuan(150_000.25m)).After
            .Transfer(Payee, Bank, Money.FromYuan(0.01m)).After;

        var reloaded = NoteHoldings.FromRanges(note.TotalUnits, note.Ranges.Reverse());

        Assert.Equal(note.Ranges, reloaded.Ranges);
        Assert.Equal("ent_other:1-15000025, ins_bank:15000026-15000026, ent_payee:15000027-50000000", reloaded.ToString());
    }
}
