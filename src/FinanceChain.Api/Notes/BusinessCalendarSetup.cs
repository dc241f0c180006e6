using FinanceChain.Api.Operations;
using FinanceChain.Domain;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NodaTime;

namespace FinanceChain.Api.Notes;

/// <summary>
/// The business calendar of discounts and presentments: the embedded one, plus the years of the file named by
/// <c>Notes:CalendarFile</c> when set. The State Council publishes the next year's holidays each November; an
/// operator can add them from a file in the embedded file's form the same day, without waiting for a release.
/// </summary>
public static class BusinessCalendarSetup
{
    /// <summary>Registers the calendar, checks the file at start-up, and reports missing years at <c>/health/ready</c>.</summary>
    public static IServiceCollection AddBusinessCalendar(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<NoteOptions>, CalendarFileValidation>();
        services.AddSingleton(sp => Load(sp.GetRequiredService<IOptions<NoteOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()));
        services.AddHealthChecks().AddCheck<BusinessCalendarHealthCheck>("businessCalendar", tags: [OperationsApi.ReadyTag]);
        return services;
    }

    /// <summary>The embedded calendar, including the years of <see cref="NoteOptions.CalendarFile"/> when it is set.</summary>
    public static BusinessCalendar Load(NoteOptions options, IHostEnvironment environment)
    {
        if (string.IsNullOrWhiteSpace(options.CalendarFile))
        {
            return BusinessCalendar.China;
        }

        var path = Path.GetFullPath(options.CalendarFile, environment.ContentRootPath);
        return BusinessCalendar.China.Including(BusinessCalendar.Parse(File.ReadAllText(path)));
    }

    // A wrong file stops the start with its reason, rather than failing the first discount.
    private sealed class CalendarFileValidation(IHostEnvironment environment) : IValidateOptions<NoteOptions>
    {
        public ValidateOptionsResult Validate(string? name, NoteOptions options)
        {
            try
            {
                Load(options, environment);
                return ValidateOptionsResult.Success;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
            {
                return ValidateOptionsResult.Fail($"Notes:CalendarFile '{options.CalendarFile}' cannot be used: {e.Message}");
            }
        }
    }
}

/// <summary>
/// Degraded (still ready, HTTP 200) while the calendar lacks a year that a note issued today can be discounted or
/// presented in: discounts and presentments dated then are refused with <c>businessCalendarYearMissing</c> until the
/// year is added.
/// </summary>
public sealed class BusinessCalendarHealthCheck(BusinessCalendar calendar, IClock clock) : IHealthCheck
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var today = clock.GetCurrentInstant().InZone(Shanghai).Date;
        // A note runs at most six months; it is presented up to ten days after its due date and answered within
        // business days after that: seven months covers the whole of it.
        var missing = Enumerable.Range(today.Year, today.PlusMonths(7).Year - today.Year + 1).Where(y => !calendar.Covers(y)).ToArray();
        return Task.FromResult(missing.Length == 0
            ? HealthCheckResult.Healthy($"business days known for {calendar.Years[0]}–{calendar.Years[^1]}")
            : HealthCheckResult.Degraded($"business days unknown for {string.Join(", ", missing)}: set Notes:CalendarFile"));
    }
}
