using FinanceChain.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace FinanceChain.Domain.Tests.Notes;

public class DiscountInterestTests
{
    private static readonly BusinessCalendar China = BusinessCalendar.China;

    [Fact]
    public void Interest_OneDay_IsExact()
    {
        // 1,000,000.00 × 3.60 % × 1 / 360 = 100.00
        Assert.Equal(Money.FromYuan(100m), DiscountInterest.Interest(Money.FromYuan(1_000_000m), 360, 1));
    }

    [Fact]
    public void Interest_180Days_IsExact()
    {
        // 500,000.00 × 3.85 % × 180 / 360 = 9,625.00
        Assert.Equal(Money.FromYuan(9_625m), DiscountInterest.Interest(Money.FromYuan(500_000m), 385, 180));
    }

    [Fact]
    public void Interest_180DaysOnOddAmount_RoundsDownBelowHalfFen()
    {
        // 150,000.25 × 3.85 % × 180 / 360 = 2,887.5048125 → 2,887.50
        Assert.Equal(Money.FromYuan(2_887.50m), DiscountInterest.Interest(Money.FromYuan(150_000.25m), 385, 180));
    }

    [Theory]
    [InlineData(1, 10_000, 180, 1)] // 0.5 fen → 1
    [InlineData(5, 3_600, 100, 1)] // 0.5 fen → 1
    [InlineData(3, 10_000, 180, 2)] // 1.5 fen → 2
    [InlineData(5, 10_000, 180, 3)] // 2.5 fen → 3 (not banker's 2)
    [InlineData(1, 9_999, 180, 0)] // 0.49995 fen → 0
    [InlineData(1, 10_000, 181, 1)] // 0.50277… fen → 1
    [InlineData(123_456_789, 450, 97, 1_496_914)] // 1,496,913.566625 fen → 1,496,914
    public void Interest_RoundsHalfUpToTheFen(long fen, int rateBps, int days, long expectedFen)
    {
        Assert.Equal(expectedFen, DiscountInterest.Interest(Money.FromFen(fen), rateBps, days).Fen);
    }

    [Fact]
    public void Interest_ZeroRate_IsZero()
    {
        Assert.Equal(Money.Zero, DiscountInterest.Interest(Money.FromYuan(1_000m), 0, 90));
    }

    [Fact]
    public void Interest_LargestAmountAndRate_DoesNotOverflow()
    {
        // 1e15 fen × 100 % × 184 / 360 = 511,111,111,111,111.1 fen
        Assert.Equal(511_111_111_111_111, DiscountInterest.Interest(Money.MaxValue, DiscountInterest.MaxRateBps, 184).Fen);
    }

    [Fact]
    public void Interest_FullRateForAYear_EqualsTheAmount()
    {
        Assert.Equal(Money.FromYuan(1_000m), DiscountInterest.Interest(Money.FromYuan(1_000m), 10_000, 360));
    }

    [Fact]
    public void Interest_MoreThanTheAmount_IsRefused()
    {
        Assert.Throws<DomainValidationException>(() => DiscountInterest.Interest(Money.FromYuan(1_000m), 10_000, 361));
    }

    [Theory]
    [InlineData(-1, "rateBps")]
    [InlineData(10_001, "rateBps")]
    public void Interest_RateOutOfRange_IsValidationError(int rateBps, string field)
    {
        var error = Assert.Throws<DomainValidationException>(() => DiscountInterest.Interest(Money.FromYuan(1m), rateBps, 10));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Interest_ZeroAmount_IsValidationError()
    {
        var error = Assert.Throws<DomainValidationException>(() => DiscountInterest.Interest(Money.Zero, 385, 10));

        Assert.Equal("amount", error.Field);
    }

    [Fact]
    public void Quote_CountsDaysFromDiscountDateToDueDate()
    {
        var quote = DiscountInterest.Quote(Money.FromYuan(500_000m), 385, new LocalDate(2026, 3, 1), new LocalDate(2026, 8, 28), China);

        Assert.Equal(180, quote.Days);
        Assert.Equal(new LocalDate(2026, 8, 28), quote.PaymentDate); // a Friday
        Assert.Equal(Money.FromYuan(9_625m), quote.Interest);
        Assert.Equal(Money.FromYuan(490_375m), quote.Proceeds);
        Assert.Equal(Money.FromYuan(500_000m), quote.Amount);
        Assert.Equal(385, quote.RateBps);
    }

    [Fact]
    public void Quote_DayBeforeDueDate_IsOneDay()
    {
        var quote = DiscountInterest.Quote(Money.FromYuan(1_000_000m), 360, new LocalDate(2026, 3, 2), new LocalDate(2026, 3, 3), China);

        Assert.Equal(1, quote.Days);
        Assert.Equal(Money.FromYuan(100m), quote.Interest);
        Assert.Equal(Money.FromYuan(999_900m), quote.Proceeds);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(30)]
    public void Quote_OnOrAfterDueDate_IsConflict(int daysAfterDue)
    {
        var due = new LocalDate(2026, 6, 30);

        Assert.Throws<DomainConflictException>(
            () => DiscountInterest.Quote(Money.FromYuan(1_000m), 385, due.PlusDays(daysAfterDue), due, China));
    }

    [Theory]
    [InlineData("2025-09-01", "2025-10-01", "2025-10-09", 38)] // due on National Day: paid on the first business day after it
    [InlineData("2025-09-30", "2025-10-08", "2025-10-09", 9)]  // due on the last day off
    [InlineData("2025-01-02", "2025-01-28", "2025-02-05", 34)] // due on 除夕: paid after the Spring Festival
    [InlineData("2025-01-02", "2025-02-08", "2025-02-08", 37)] // a Saturday worked (调休) is a business day
    [InlineData("2026-03-02", "2026-03-07", "2026-03-09", 7)]  // an ordinary Saturday: to Monday
    [InlineData("2026-03-02", "2026-03-06", "2026-03-06", 4)]  // a Friday: to the due date itself
    public void Quote_DueOnAWeekendOrHoliday_CountsDaysToTheNextBusinessDay(string discountDate, string dueDate, string paymentDate, int days)
    {
        var pattern = NodaTime.Text.LocalDatePattern.Iso;
        var quote = DiscountInterest.Quote(Money.FromYuan(1_000_000m), 360, pattern.Parse(discountDate).Value, pattern.Parse(dueDate).Value, China);

        Assert.Equal(pattern.Parse(paymentDate).Value, quote.PaymentDate);
        Assert.Equal(days, quote.Days);
        Assert.Equal(DiscountInterest.Interest(Money.FromYuan(1_000_000m), 360, days), quote.Interest);
        Assert.Equal(days, DiscountInterest.Days(pattern.Parse(discountDate).Value, pattern.Parse(dueDate).Value, China));
    }

    [Fact]
    public void Quote_DueInAYearTheCalendarDoesNotKnow_IsAnError()
    {
        var calendar = BusinessCalendar.Create("test", [2026], [], []);
        var error = Assert.Throws<DomainConflictException>(
            () => DiscountInterest.Quote(Money.FromYuan(1_000m), 385, new LocalDate(2026, 12, 1), new LocalDate(2027, 1, 4), calendar));

        Assert.Equal("businessCalendarYearMissing", error.Code);
    }

    [Property(MaxTest = 500)]
    public Property Interest_MatchesExactDecimalArithmetic() => Prop.ForAll(
        Arb.From(
            from fen in Gen.OneOf(Gen.Choose(1, int.MaxValue).Select(n => (long)n), Gen.Choose(0, int.MaxValue).Select(n => Money.MaxValue.Fen - n))
            from rate in Gen.Choose(0, DiscountInterest.MaxRateBps)
            from days in Gen.Choose(1, 184)
            select (fen, rate, days)),
        input =>
        {
            var exact = (decimal)input.fen * input.rate * input.days / (10_000m * 360m);
            var expected = (long)Math.Round(exact, 0, MidpointRounding.AwayFromZero);

            var quote = DiscountInterest.Interest(Money.FromFen(input.fen), input.rate, input.days);

            // decimal division keeps 28-29 significant digits; exact halves are representable, so this agrees.
            Assert.Equal(expected, quote.Fen);
            Assert.True(quote.Fen <= input.fen);
        });
}
