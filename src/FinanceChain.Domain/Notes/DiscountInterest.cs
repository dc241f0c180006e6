using NodaTime;

namespace FinanceChain.Domain;

/// <summary>The price of discounting part of a note at a bank.</summary>
/// <param name="Amount">The face amount of the sub-notes discounted.</param>
/// <param name="RateBps">The annual discount rate in basis points.</param>
/// <param name="Days">Days from the discount (acceptance) date to <paramref name="PaymentDate"/>.</param>
/// <param name="Interest">The discount interest the bank keeps.</param>
/// <param name="Proceeds">What the holder receives: <c>Amount - Interest</c>.</param>
/// <param name="PaymentDate">When the note pays: its due date, or the next business day when the due date is a
/// weekend day or holiday (节假日顺延).</param>
public readonly record struct DiscountQuote(Money Amount, int RateBps, int Days, Money Interest, Money Proceeds, LocalDate PaymentDate);

/// <summary>
/// Discount interest (贴现利息) = amount × rateBps / 10000 × days / 360, rounded half up to the fen, days counted to
/// the day the note pays (the next business day when the due date is not one).
/// </summary>
/// <remarks>
/// Computed exactly in 128-bit integers on fen: <c>fen × rateBps × days</c> stays below 1e15 × 1e4 × 2^31,
/// far inside <see cref="Int128"/>, and is divided once, so there is no intermediate rounding and no
/// floating point. Interest is never negative, so half up is the same as rounding away from zero.
/// </remarks>
public static class DiscountInterest
{
    /// <summary>Days in the year for the annual rate (actual/360, as for bill discounting in China).</summary>
    public const int DayCountBasis = 360;

    /// <summary>Basis points in 100 %.</summary>
    public const int BasisPointsPerUnit = 10_000;

    /// <summary>The highest rate accepted: 100 % a year.</summary>
    public const int MaxRateBps = BasisPointsPerUnit;

    /// <summary>
    /// Prices discounting <paramref name="amount"/> on <paramref name="discountDate"/> (the business date in
    /// Asia/Shanghai on which the holder accepts the bank's offer) of a note due on
    /// <paramref name="dueDate"/>.
    /// </summary>
    /// <remarks>
    /// Days are calendar days from the discount date to the day the note pays (<see cref="Days"/>): the due date,
    /// or the next business day of <paramref name="calendar"/> when the due date is not one. Discounting on or after
    /// the due date is refused with <see cref="DomainConflictException"/> <c>discountAfterDueDate</c>: the note is
    /// then presented for payment, not discounted. A zero or negative amount or a rate outside
    /// 0..<see cref="MaxRateBps"/> is a <see cref="DomainValidationException"/>; a due date in a year the calendar
    /// does not know is <c>businessCalendarYearMissing</c>.
    /// </remarks>
    public static DiscountQuote Quote(Money amount, int rateBps, LocalDate discountDate, LocalDate dueDate, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (discountDate >= dueDate)
        {
            throw new DomainConflictException("discountAfterDueDate", dueDate, discountDate);
        }

        var paymentDate = calendar.OnOrAfter(dueDate);
        var days = Period.DaysBetween(discountDate, paymentDate);
        var interest = Interest(amount, rateBps, days);
        return new DiscountQuote(amount, rateBps, days, interest, amount - interest, paymentDate);
    }

    /// <summary>
    /// The days a discount on <paramref name="discountDate"/> of a note due on <paramref name="dueDate"/> runs: to the
    /// due date, or to the next business day when the due date is a weekend day or holiday (节假日顺延). Zero or less
    /// when the note is due on or before <paramref name="discountDate"/>.
    /// </summary>
    public static int Days(LocalDate discountDate, LocalDate dueDate, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return discountDate >= dueDate
            ? Period.DaysBetween(discountDate, dueDate)
            : Period.DaysBetween(discountDate, calendar.OnOrAfter(dueDate));
    }

    /// <summary>
    /// The interest on <paramref name="amount"/> at <paramref name="rateBps"/> a year for
    /// <paramref name="days"/> days, rounded half up to the fen. Days must be at least 1 and the interest
    /// may not exceed the amount (<see cref="DomainValidationException"/> otherwise).
    /// </summary>
    public static Money Interest(Money amount, int rateBps, int days)
    {
        if (amount.Fen <= 0)
        {
            throw new DomainValidationException("amount", "discountAmountNotPositive");
        }

        if (rateBps < 0 || rateBps > MaxRateBps)
        {
            throw new DomainValidationException("rateBps", "discountRateOutOfRange", MaxRateBps);
        }

        if (days < 1)
        {
            throw new DomainValidationException("days", "discountDaysBelowOne");
        }

        Int128 numerator = checked((Int128)amount.Fen * rateBps * days);
        Int128 denominator = (Int128)BasisPointsPerUnit * DayCountBasis;
        var quotient = Int128.DivRem(numerator, denominator);
        var fen = quotient.Quotient;
        if (quotient.Remainder * 2 >= denominator)
        {
            fen += 1;
        }

        if (fen > amount.Fen)
        {
            throw new DomainValidationException("days", "discountInterestExceedsAmount");
        }

        return Money.FromFen((long)fen);
    }
}
