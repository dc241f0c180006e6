using FinanceChain.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FinanceChain.Domain.Tests.Notes;

public class ReceivableTransitionsTests
{
    [Fact]
    public void Confirm_Registered_IsConfirmed()
    {
        Assert.Equal(ReceivableStatus.Confirmed, ReceivableStatus.Registered.Confirm());
    }

    [Theory]
    [InlineData(ReceivableStatus.Confirmed)]
    [InlineData(ReceivableStatus.Rejected)]
    [InlineData(ReceivableStatus.Cancelled)]
    [InlineData(ReceivableStatus.Financed)]
    [InlineData(ReceivableStatus.ConvertedToNote)]
    public void Confirm_AnythingButRegistered_IsConflict(ReceivableStatus status)
    {
        Assert.Throws<DomainConflictException>(() => status.Confirm());
    }

    [Fact]
    public void RejectAndCancel_Registered_AreFinal()
    {
        Assert.Equal(ReceivableStatus.Rejected, ReceivableStatus.Registered.Reject());
        Assert.Equal(ReceivableStatus.Cancelled, ReceivableStatus.Registered.Cancel());
    }

    [Theory]
    [InlineData(ReceivableStatus.Confirmed)]
    [InlineData(ReceivableStatus.Rejected)]
    [InlineData(ReceivableStatus.Cancelled)]
    [InlineData(ReceivableStatus.Financed)]
    [InlineData(ReceivableStatus.ConvertedToNote)]
    public void RejectAndCancel_OnceNoLongerRegistered_AreConflicts_NamingTheStatus(ReceivableStatus status)
    {
        var reject = Assert.Throws<DomainConflictException>(() => status.Reject());
        var cancel = Assert.Throws<DomainConflictException>(() => status.Cancel());

        Assert.Equal("receivableNotRegistered", reject.Code);
        Assert.Equal(new object?[] { ReceivableTransitions.Describe(status), new TextRef("receivableActionReject") }, reject.Args);
        Assert.Equal(new TextRef("receivableActionCancel"), cancel.Args[1]);
    }

    [Fact]
    public void Finance_Confirmed_IsFinanced()
    {
        Assert.Equal(ReceivableStatus.Financed, ReceivableStatus.Confirmed.Finance());
    }

    [Theory]
    [InlineData(ReceivableStatus.Registered, "receivableNotConfirmed")]
    [InlineData(ReceivableStatus.Rejected, "receivableClosed")]
    [InlineData(ReceivableStatus.Cancelled, "receivableClosed")]
    [InlineData(ReceivableStatus.Financed, "receivableAlreadyUsed")]
    [InlineData(ReceivableStatus.ConvertedToNote, "receivableAlreadyUsed")]
    public void FinanceAndConvert_UnconfirmedClosedOrUsed_AreConflicts(ReceivableStatus status, string code)
    {
        Assert.Equal(code, Assert.Throws<DomainConflictException>(() => status.Finance()).Code);
        Assert.Equal(code, Assert.Throws<DomainConflictException>(() => status.ConvertToNote(Money.FromYuan(10m), Money.FromYuan(1m))).Code);
    }

    [Fact]
    public void ConvertToNote_PartOfWhatRemains_StaysConfirmedWithTheRest()
    {
        var result = ReceivableStatus.Confirmed.ConvertToNote(Money.FromYuan(500_000m), Money.FromYuan(300_000m));

        Assert.Equal(new ReceivableConversion(ReceivableStatus.Confirmed, Money.FromYuan(200_000m)), result);
    }

    [Fact]
    public void ConvertToNote_AllThatRemains_IsConverted()
    {
        var result = ReceivableStatus.Confirmed.ConvertToNote(Money.FromYuan(200_000m), Money.FromYuan(200_000m));

        Assert.Equal(new ReceivableConversion(ReceivableStatus.ConvertedToNote, Money.Zero), result);
    }

    [Fact]
    public void ConvertToNote_MoreThanRemains_IsValidationErrorOnAmount()
    {
        var error = Assert.Throws<DomainValidationException>(
            () => ReceivableStatus.Confirmed.ConvertToNote(Money.FromYuan(200_000m), Money.FromYuan(200_000.01m)));

        Assert.Equal("amount", error.Field);
        Assert.Equal("receivableNoteExceedsRemaining", error.Code);
        Assert.Equal(new object?[] { Money.FromYuan(200_000m) }, error.Args);
    }

    /// <summary>
    /// Notes of random amounts taken from one receivable: the accepted ones sum exactly to what left it, the
    /// receivable is converted exactly when nothing remains, and a note larger than what remains changes nothing.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property PartialConversions_SumExactly() => Prop.ForAll(
        Arb.From(
            from total in Gen.Choose(1, 10_000_000)
            from parts in Gen.ListOf(Gen.Choose(1, 4_000_000))
            select (Total: (long)total, Parts: parts.Select(p => (long)p).ToArray())),
        scenario =>
        {
            var status = ReceivableStatus.Confirmed;
            var remaining = Money.FromFen(scenario.Total);
            long issued = 0;
            foreach (var part in scenario.Parts)
            {
                var note = Money.FromFen(part);
                if (status == ReceivableStatus.ConvertedToNote)
                {
                    Assert.Throws<DomainConflictException>(() => status.ConvertToNote(remaining, note));
                    continue;
                }

                if (note > remaining)
                {
                    Assert.Throws<DomainValidationException>(() => status.ConvertToNote(remaining, note));
                    continue;
                }

                (status, remaining) = status.ConvertToNote(remaining, note);
                issued += part;
                Assert.Equal(scenario.Total, issued + remaining.Fen);
                Assert.Equal(remaining == Money.Zero, status == ReceivableStatus.ConvertedToNote);
            }
        });
}

public class AdvanceLimitTests
{
    private static readonly NodaTime.LocalDate Start = new(2026, 3, 16);
    private static readonly NodaTime.LocalDate Due = new(2026, 9, 1);

    [Theory]
    [InlineData(1_000_000_00, 9_000, 900_000_00)]
    [InlineData(1_000_000_00, 10_000, 1_000_000_00)]
    [InlineData(1, 9_000, 0)]              // 0.9 fen rounds down: nothing may be lent
    [InlineData(333, 5_000, 166)]          // 166.5 fen rounds down
    [InlineData(999_999_999_999_999L, 9_999, 999_899_999_999_999L)]
    public void MaxAdvance_IsTheRatioOfWhatRemains_RoundedDown(long remainingFen, int ratioBps, long maxFen)
    {
        Assert.Equal(Money.FromFen(maxFen), AdvanceLimit.MaxAdvance(Money.FromFen(remainingFen), ratioBps));
    }

    [Theory]
    [InlineData(900_000_00, 9_000, 1_000_000_00)]
    [InlineData(900_000_01, 9_000, 1_000_000_02)] // 1,000,000.0111… needs 1,000,000.02
    [InlineData(166, 5_000, 332)]
    [InlineData(1, 10_000, 1)]
    public void MinimumRemaining_IsTheSmallestRemainingThatAllowsTheAdvance(long advanceFen, int ratioBps, long minimumFen)
    {
        var minimum = AdvanceLimit.MinimumRemainingFen(Money.FromFen(advanceFen), ratioBps);

        Assert.Equal(minimumFen, minimum);
        Assert.True(AdvanceLimit.MaxAdvance(Money.FromFen(minimum), ratioBps).Fen >= advanceFen);
        Assert.True(AdvanceLimit.MaxAdvance(Money.FromFen(minimum - 1), ratioBps).Fen < advanceFen);
    }

    [Fact]
    public void Check_AtTheLimitAndTheDueDate_IsAllowed()
    {
        AdvanceLimit.Check(Money.FromYuan(900_000m), (int)NodaTime.Period.DaysBetween(Start, Due), Start, Money.FromYuan(1_000_000m), Due, 9_000);
    }

    [Fact]
    public void Check_OneFenOverTheLimit_IsConflictNamingTheLimit()
    {
        var error = Assert.Throws<DomainConflictException>(
            () => AdvanceLimit.Check(Money.FromYuan(900_000.01m), 30, Start, Money.FromYuan(1_000_000m), Due, 9_000));

        Assert.Equal("advanceExceedsLimit", error.Code);
        Assert.Equal(new object?[] { Money.FromYuan(900_000.01m), Money.FromYuan(900_000m), new RateArg(9_000), Money.FromYuan(1_000_000m) }, error.Args);
    }

    [Fact]
    public void Check_ATermEndingADayAfterTheDueDate_IsConflict()
    {
        var days = (int)NodaTime.Period.DaysBetween(Start, Due) + 1;
        var error = Assert.Throws<DomainConflictException>(
            () => AdvanceLimit.Check(Money.FromYuan(1m), days, Start, Money.FromYuan(1_000_000m), Due, 9_000));

        Assert.Equal("advanceTermBeyondReceivableDue", error.Code);
        Assert.Equal(new object?[] { Due.PlusDays(1), Due }, error.Args);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Ratio_OutsideOneToTenThousand_IsRefused(int ratioBps)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AdvanceLimit.MaxAdvance(Money.FromYuan(1m), ratioBps));
    }
}
