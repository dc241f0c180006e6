using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Domain.Tests.Notes;

/// <summary>
/// The embedded calendar against the State Council's notices: 2025 (国办发明电〔2024〕12号) and 2026, Spring Festival
/// and National Day with their adjusted working days (调休上班).
/// </summary>
public class BusinessCalendarTests
{
    private static readonly BusinessCalendar China = BusinessCalendar.China;

    private static LocalDate D(int year, int month, int day) => new(year, month, day);

    [Fact]
    public void China_CoversTheYearsNotesAreDueIn_AndNamesItsSource()
    {
        Assert.True(China.Covers(2025));
        Assert.True(China.Covers(2026));
        Assert.Contains("chinese-days", China.Source, StringComparison.Ordinal);
        Assert.Contains("国务院", China.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2025, 1, 28)] // 除夕
    [InlineData(2025, 1, 29)]
    [InlineData(2025, 2, 1)]  // a Saturday inside the holiday
    [InlineData(2025, 2, 3)]
    [InlineData(2025, 2, 4)]  // 正月初七, the last day off
    [InlineData(2026, 2, 15)]
    [InlineData(2026, 2, 23)] // 2026: nine days, 2/15-2/23
    public void SpringFestival_DaysOff_AreNoBusinessDays(int year, int month, int day) =>
        Assert.False(China.IsBusinessDay(D(year, month, day)));

    [Theory]
    [InlineData(2025, 1, 26)] // Sunday worked before the Spring Festival
    [InlineData(2025, 2, 8)]  // Saturday worked after it
    [InlineData(2025, 1, 27)] // the Monday before 除夕
    [InlineData(2025, 2, 5)]  // the first weekday after the holiday
    [InlineData(2026, 2, 14)]
    [InlineData(2026, 2, 28)]
    public void SpringFestival_AdjustedAndNeighbouringWorkingDays_AreBusinessDays(int year, int month, int day) =>
        Assert.True(China.IsBusinessDay(D(year, month, day)));

    [Fact]
    public void NationalDay2025_OffFromOctober1To8_WithSeptember28AndOctober11Worked()
    {
        for (var day = 1; day <= 8; day++)
        {
            Assert.False(China.IsBusinessDay(D(2025, 10, day)), $"2025-10-0{day}");
        }

        Assert.True(China.IsBusinessDay(D(2025, 9, 28)));  // Sunday
        Assert.True(China.IsBusinessDay(D(2025, 10, 9)));  // Thursday
        Assert.True(China.IsBusinessDay(D(2025, 10, 11))); // Saturday
        Assert.False(China.IsBusinessDay(D(2025, 10, 12))); // an ordinary Sunday
    }

    [Fact]
    public void NationalDay2026_OffFromOctober1To7_WithSeptember20AndOctober10Worked()
    {
        Assert.All(Enumerable.Range(1, 7), day => Assert.False(China.IsBusinessDay(D(2026, 10, day))));
        Assert.True(China.IsBusinessDay(D(2026, 9, 20)));
        Assert.True(China.IsBusinessDay(D(2026, 10, 8)));
        Assert.True(China.IsBusinessDay(D(2026, 10, 10)));
    }

    [Theory]
    [InlineData("2025-01-01", false)] // 元旦
    [InlineData("2025-04-04", false)] // 清明
    [InlineData("2025-04-27", true)]  // Sunday worked before 劳动节
    [InlineData("2025-05-05", false)]
    [InlineData("2025-05-06", true)]
    [InlineData("2025-06-02", false)] // 端午
    [InlineData("2025-03-15", false)] // an ordinary Saturday
    [InlineData("2025-03-17", true)]  // an ordinary Monday
    [InlineData("2026-01-04", true)]  // Sunday worked after 元旦 2026
    [InlineData("2026-05-09", true)]
    public void OtherDays_Of2025And2026(string date, bool businessDay) =>
        Assert.Equal(businessDay, China.IsBusinessDay(NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value));

    [Theory]
    [InlineData("2025-01-28", "2025-02-05")] // due on 除夕: paid after the Spring Festival
    [InlineData("2025-10-01", "2025-10-09")]
    [InlineData("2025-10-11", "2025-10-11")] // a Saturday worked is a business day
    [InlineData("2025-03-15", "2025-03-17")] // Saturday → Monday
    [InlineData("2025-03-17", "2025-03-17")]
    [InlineData("2026-09-25", "2026-09-28")] // 中秋 2026 (Friday to Sunday) → Monday
    public void OnOrAfter_MovesToTheNextBusinessDay(string date, string expected)
    {
        var pattern = NodaTime.Text.LocalDatePattern.Iso;
        Assert.Equal(pattern.Parse(expected).Value, China.OnOrAfter(pattern.Parse(date).Value));
    }

    [Theory]
    [InlineData("2025-01-24", 1, "2025-01-26")] // Friday + 1: the Sunday worked
    [InlineData("2025-01-26", 1, "2025-01-27")]
    [InlineData("2025-01-27", 1, "2025-02-05")] // over the whole Spring Festival
    [InlineData("2025-01-27", 2, "2025-02-06")]
    [InlineData("2025-09-30", 2, "2025-10-10")] // over National Day
    [InlineData("2025-10-01", 1, "2025-10-09")] // from a holiday
    [InlineData("2025-10-10", 1, "2025-10-11")] // Friday + 1: the Saturday worked
    [InlineData("2025-03-14", 2, "2025-03-18")] // an ordinary weekend
    public void AddBusinessDays_CountsOnlyBusinessDays(string date, int days, string expected)
    {
        var pattern = NodaTime.Text.LocalDatePattern.Iso;
        Assert.Equal(pattern.Parse(expected).Value, China.AddBusinessDays(pattern.Parse(date).Value, days));
    }

    [Fact]
    public void AYearNotInTheData_IsAnError_NotAGuess()
    {
        var error = Assert.Throws<DomainConflictException>(() => China.IsBusinessDay(D(2099, 3, 16)));
        Assert.Equal("businessCalendarYearMissing", error.Code);
        Assert.Equal(new object?[] { 2099 }, error.Args);
    }

    [Fact]
    public void Counting_IntoAYearNotInTheData_IsAnError()
    {
        var calendar = BusinessCalendar.Create("test", [2025], [D(2025, 12, 31)], []);

        Assert.Equal(D(2025, 12, 30), calendar.OnOrAfter(D(2025, 12, 30)));
        Assert.Throws<DomainConflictException>(() => calendar.OnOrAfter(D(2025, 12, 31)));
        Assert.Throws<DomainConflictException>(() => calendar.AddBusinessDays(D(2025, 12, 30), 1));
    }

    [Fact]
    public void Create_RefusesInconsistentData()
    {
        Assert.Throws<ArgumentException>(() => BusinessCalendar.Create("test", [2025], [D(2026, 1, 1)], []));
        Assert.Throws<ArgumentException>(() => BusinessCalendar.Create("test", [2025], [], [D(2025, 3, 17)])); // a Monday
        Assert.Throws<ArgumentException>(() => BusinessCalendar.Create("test", [2025], [D(2025, 3, 15)], [D(2025, 3, 15)]));
        Assert.Throws<ArgumentException>(() => BusinessCalendar.Create("test", [], [], []));
    }

    [Fact]
    public void Parse_ReadsTheDataFileForm()
    {
        var calendar = BusinessCalendar.Parse("""
            { "source": "test", "years": { "2025": { "holidays": ["2025-10-01"], "workdays": ["2025-10-11"] } } }
            """);

        Assert.Equal([2025], calendar.Years);
        Assert.False(calendar.IsBusinessDay(D(2025, 10, 1)));
        Assert.True(calendar.IsBusinessDay(D(2025, 10, 11)));
        Assert.Throws<FormatException>(() => BusinessCalendar.Parse("""{ "source": "x", "years": { "25": {} } }"""));
        Assert.Throws<FormatException>(() => BusinessCalendar.Parse("""{ "source": "x", "years": { "2025": { "holidays": ["10/1/2025"] } } }"""));
        Assert.Throws<FormatException>(() => BusinessCalendar.Parse("not json"));
    }

    [Fact]
    public void Including_AddsAYear_AndReplacesAYearInBothWhole()
    {
        var extra = BusinessCalendar.Parse("""
            { "source": "operator file", "years": {
                "2027": { "holidays": ["2027-01-01"], "workdays": [] },
                "2026": { "holidays": ["2026-03-16"], "workdays": [] } } }
            """);

        var calendar = China.Including(extra);

        Assert.Equal(China.Years.Append(2027).Order(), calendar.Years);
        Assert.False(calendar.IsBusinessDay(D(2027, 1, 1)));
        Assert.True(calendar.IsBusinessDay(D(2027, 1, 4)));
        Assert.False(calendar.IsBusinessDay(D(2026, 3, 16))); // the replaced 2026 says so
        Assert.True(calendar.IsBusinessDay(D(2026, 10, 1))); // and no longer has National Day
        Assert.False(calendar.IsBusinessDay(D(2025, 10, 1))); // other years untouched
        Assert.Contains("operator file", calendar.Source);
        Assert.Throws<DomainConflictException>(() => China.IsBusinessDay(D(2027, 1, 4))); // China itself unchanged
    }
}
