using FinanceChain.Domain;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Text;

namespace FinanceChain.Domain.Tests.Roster;

public class HalfYearTests
{
    private static readonly DateTimeZone Shanghai = HalfYear.ShanghaiZone;

    private static Instant At(string iso) => InstantPattern.ExtendedIso.Parse(iso).Value;

    [Theory]
    [InlineData("2026H1", 2026, 1)]
    [InlineData("2026H2", 2026, 2)]
    [InlineData("2000H1", 2000, 1)]
    [InlineData("2999H2", 2999, 2)]
    public void TryParse_CanonicalForm_Succeeds(string text, int year, int half)
    {
        Assert.True(HalfYear.TryParse(text, out var period));
        Assert.Equal(year, period.Year);
        Assert.Equal(half, period.Half);
        Assert.Equal(text, period.ToString());
        Assert.Equal(period, HalfYear.Parse(text));
    }

    [Theory]
    [InlineData("2026H3")]
    [InlineData("2026H0")]
    [InlineData("26H1")]
    [InlineData("2026h1")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("2026-H1")]
    [InlineData("2026H1 ")]
    [InlineData(" 2026H1")]
    [InlineData("2026H")]
    [InlineData("2026H12")]
    [InlineData("02026H1")]
    [InlineData("+026H1")]
    [InlineData("1999H2")]
    [InlineData("3000H1")]
    [InlineData("H12026")]
    [InlineData("2026S1")]
    [InlineData("２０２６H1")] // full-width digits
    [InlineData("٢٠٢٦H1")] // Arabic-Indic digits
    public void TryParse_AnythingElse_Fails(string text)
    {
        Assert.False(HalfYear.TryParse(text, out var period));
        Assert.Equal(default, period);
        Assert.Throws<FormatException>(() => HalfYear.Parse(text));
    }

    [Fact]
    public void TryParse_Null_Fails()
    {
        Assert.False(HalfYear.TryParse(null, out _));
    }

    [Fact]
    public void Of_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HalfYear.Of(1999, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => HalfYear.Of(3000, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => HalfYear.Of(2026, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => HalfYear.Of(2026, 3));
    }

    [Fact]
    public void Default_Is2000H1()
    {
        Assert.Equal(HalfYear.Of(2000, 1), default);
        Assert.Equal("2000H1", default(HalfYear).ToString());
    }

    [Fact]
    public void StartAndEnd_AreTheInclusiveBusinessDates()
    {
        var h1 = HalfYear.Parse("2026H1");
        var h2 = HalfYear.Parse("2026H2");

        Assert.Equal(new LocalDate(2026, 1, 1), h1.Start);
        Assert.Equal(new LocalDate(2026, 6, 30), h1.End);
        Assert.Equal(new LocalDate(2026, 7, 1), h2.Start);
        Assert.Equal(new LocalDate(2026, 12, 31), h2.End);
    }

    [Fact]
    public void Instants_AreMidnightInShanghai_EndExclusive()
    {
        var h1 = HalfYear.Parse("2026H1");
        var h2 = HalfYear.Parse("2026H2");

        Assert.Equal(At("2025-12-31T16:00:00Z"), h1.StartInstant(Shanghai));
        Assert.Equal(At("2026-06-30T16:00:00Z"), h1.EndInstant(Shanghai));
        Assert.Equal(h1.EndInstant(Shanghai), h2.StartInstant(Shanghai));
        Assert.Equal(At("2026-12-31T16:00:00Z"), h2.EndInstant(Shanghai));
    }

    [Theory]
    [InlineData("2026-12-31T15:59:59Z", "2026H2")]
    [InlineData("2026-12-31T15:59:59.999999999Z", "2026H2")]
    [InlineData("2026-12-31T16:00:00Z", "2027H1")]
    [InlineData("2026-06-30T15:59:59Z", "2026H1")]
    [InlineData("2026-06-30T16:00:00Z", "2026H2")]
    [InlineData("2026-01-01T00:00:00Z", "2026H1")]
    [InlineData("2025-12-31T16:00:00Z", "2026H1")]
    [InlineData("2025-12-31T15:59:59Z", "2025H2")]
    public void Containing_Instant_UsesTheShanghaiDate(string instant, string expected)
    {
        Assert.Equal(HalfYear.Parse(expected), HalfYear.Containing(At(instant), Shanghai));
    }

    [Fact]
    public void Containing_Instant_DependsOnTheZone()
    {
        // 2026-06-30T20:00Z is still 30 June in UTC but already 1 July in Shanghai.
        var instant = At("2026-06-30T20:00:00Z");

        Assert.Equal(HalfYear.Parse("2026H1"), HalfYear.Containing(instant, DateTimeZone.Utc));
        Assert.Equal(HalfYear.Parse("2026H2"), HalfYear.Containing(instant, Shanghai));
    }

    [Theory]
    [InlineData(2026, 1, 1, "2026H1")]
    [InlineData(2026, 6, 30, "2026H1")]
    [InlineData(2026, 7, 1, "2026H2")]
    [InlineData(2026, 12, 31, "2026H2")]
    [InlineData(2028, 2, 29, "2028H1")]
    public void Containing_Date(int year, int month, int day, string expected)
    {
        var date = new LocalDate(year, month, day);
        var period = HalfYear.Containing(date);

        Assert.Equal(HalfYear.Parse(expected), period);
        Assert.True(period.Contains(date));
        Assert.False(period.Next.Contains(date));
        Assert.False(period.Previous.Contains(date));
    }

    [Fact]
    public void Containing_DateOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HalfYear.Containing(new LocalDate(1999, 12, 31)));
        Assert.Throws<ArgumentOutOfRangeException>(() => HalfYear.Containing(new LocalDate(3000, 1, 1)));
    }

    [Theory]
    [InlineData("2026H1", "2025H2", "2026H2")]
    [InlineData("2026H2", "2026H1", "2027H1")]
    [InlineData("2000H2", "2000H1", "2001H1")]
    public void PreviousAndNext_CrossYears(string text, string previous, string next)
    {
        var period = HalfYear.Parse(text);

        Assert.Equal(HalfYear.Parse(previous), period.Previous);
        Assert.Equal(HalfYear.Parse(next), period.Next);
    }

    [Fact]
    public void PreviousAndNext_AtTheEdgesOfTheRange_Throw()
    {
        Assert.Throws<InvalidOperationException>(() => HalfYear.MinValue.Previous);
        Assert.Throws<InvalidOperationException>(() => HalfYear.MaxValue.Next);
        Assert.Equal(At("2999-12-31T16:00:00Z"), HalfYear.MaxValue.EndInstant(Shanghai));
    }

    [Fact]
    public void Comparison_FollowsTime()
    {
        var a = HalfYear.Parse("2025H2");
        var b = HalfYear.Parse("2026H1");
        var c = HalfYear.Parse("2026H2");

        Assert.True(a < b && b < c && a < c);
        var sameAsB = HalfYear.Of(2026, 1);
        Assert.True(c > b && b >= sameAsB && b <= sameAsB);
        Assert.False(b < sameAsB || b > sameAsB);
        Assert.Equal([a, b, c], new[] { c, a, b }.Order().ToArray());
        Assert.Equal(0, b.CompareTo(HalfYear.Of(2026, 1)));
    }

    [Property]
    public bool ToString_RoundTrips(ushort seed)
    {
        var period = HalfYear.MinValue;
        var steps = seed % 2000;
        for (var i = 0; i < steps; i++)
        {
            period = period.Next;
        }

        return HalfYear.Parse(period.ToString()) == period && period.Next.Previous == period;
    }

    [Property]
    public bool Containing_AgreesWithStartAndEnd(int dayOffset)
    {
        var date = new LocalDate(2000, 1, 1).PlusDays(Math.Abs(dayOffset % 365_000));
        var period = HalfYear.Containing(date);

        return period.Start <= date && date <= period.End
            && HalfYear.Containing(period.StartInstant(Shanghai), Shanghai) == period
            && HalfYear.Containing(period.EndInstant(Shanghai) - Duration.Epsilon, Shanghai) == period;
    }
}

public class HalfYearJsonTests
{
    private sealed record Holder(HalfYear Period, HalfYear? Maybe);

    [Fact]
    public void Json_IsTheCanonicalString()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new Holder(HalfYear.Parse("2026H2"), null));

        Assert.Equal("{\"Period\":\"2026H2\",\"Maybe\":null}", json);
        Assert.Equal(new Holder(HalfYear.Parse("2026H2"), null), System.Text.Json.JsonSerializer.Deserialize<Holder>(json));
    }

    [Fact]
    public void Json_AsDictionaryKey()
    {
        var map = new Dictionary<HalfYear, int> { [HalfYear.Parse("2026H1")] = 1 };

        var json = System.Text.Json.JsonSerializer.Serialize(map);

        Assert.Equal("{\"2026H1\":1}", json);
        Assert.Equal(1, System.Text.Json.JsonSerializer.Deserialize<Dictionary<HalfYear, int>>(json)![HalfYear.Parse("2026H1")]);
    }

    [Theory]
    [InlineData("{\"Period\":\"2026h1\",\"Maybe\":null}")]
    [InlineData("{\"Period\":20261,\"Maybe\":null}")]
    [InlineData("{\"Period\":{\"year\":2026},\"Maybe\":null}")]
    public void Json_AnythingElse_IsRefused(string json)
    {
        Assert.Throws<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<Holder>(json));
    }
}
