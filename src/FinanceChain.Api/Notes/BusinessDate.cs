using NodaTime;

namespace FinanceChain.Api.Notes;

/// <summary>Business dates are calendar dates in Asia/Shanghai.</summary>
internal static class BusinessDate
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    /// <summary>Today's business date.</summary>
    public static LocalDate Today(this IClock clock) => Of(clock.GetCurrentInstant());

    /// <summary>The business date of an instant.</summary>
    public static LocalDate Of(Instant instant) => instant.InZone(Shanghai).Date;
}
