using System.Net;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace FinanceChain.Api.Tests.Notes;

/// <summary>
/// An operator adds a year the State Council has just published with <c>Notes:CalendarFile</c>; readiness says when
/// a year that notes issued today may need is missing.
/// </summary>
public sealed class BusinessCalendarFileTests : IDisposable
{
    private static readonly FakeClock December2026 = new(Instant.FromUtc(2026, 12, 1, 2, 0));
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"calendar-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task Ready_AllYearsKnown_IsHealthy()
    {
        using var app = new FinanceChainApp();
        Assert.Equal("Healthy", await ReadyAsync(app));
    }

    [Fact]
    public async Task Ready_NextYearMissing_IsDegradedButStillReady()
    {
        using var app = new FinanceChainApp(clock: December2026);
        Assert.Equal("Degraded", await ReadyAsync(app));
    }

    [Fact]
    public async Task CalendarFile_AddsItsYears()
    {
        await File.WriteAllTextAsync(_file, """
            { "source": "国办发明电 (test)", "years": { "2027": { "holidays": ["2027-01-01"], "workdays": [] } } }
            """);
        using var app = new FinanceChainApp(clock: December2026, settings: new Dictionary<string, string?> { ["Notes:CalendarFile"] = _file });

        Assert.Equal("Healthy", await ReadyAsync(app));
        var calendar = app.Services.GetRequiredService<BusinessCalendar>();
        Assert.False(calendar.IsBusinessDay(new LocalDate(2027, 1, 1)));
        Assert.True(calendar.IsBusinessDay(new LocalDate(2027, 1, 4)));
        Assert.False(calendar.IsBusinessDay(new LocalDate(2026, 10, 1)));
    }

    [Theory]
    [InlineData("""{ "source": "x", "years": { "2027": { "holidays": ["2027-01-04"], "workdays": ["2027-01-05"] } } }""")]
    [InlineData("not json")]
    [InlineData(null)]
    public void CalendarFile_WrongOrMissing_StopsTheStartWithItsReason(string? content)
    {
        if (content is not null)
        {
            File.WriteAllText(_file, content);
        }

        using var app = new FinanceChainApp(settings: new Dictionary<string, string?> { ["Notes:CalendarFile"] = _file });
        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());
        Assert.Contains("Notes:CalendarFile", error.Message);
    }

    private static async Task<string> ReadyAsync(FinanceChainApp app)
    {
        var response = await app.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
