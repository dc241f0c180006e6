using FinanceChain.Domain;
using NodaTime;
using NodaTime.Testing;
using NodaTime.Text;

namespace FinanceChain.Domain.Tests.Roster;

public class RosterScheduleTests
{
    private static Instant At(string iso) => InstantPattern.ExtendedIso.Parse(iso).Value;

    [Fact]
    public void Constants_DescribeTheJob()
    {
        Assert.Equal("roster-republish", RosterSchedule.JobId);
        Assert.Equal("0 0 1 1,7 *", RosterSchedule.Cron);
        Assert.Equal("Asia/Shanghai", RosterSchedule.TimeZoneId);
        Assert.NotNull(DateTimeZoneProviders.Tzdb.GetZoneOrNull(RosterSchedule.TimeZoneId));
    }

    [Theory]
    [InlineData("2026-12-31T15:59:59Z", "2026H2", "2026-12-31T16:00:00Z")]
    [InlineData("2026-12-31T16:00:00Z", "2027H1", "2027-06-30T16:00:00Z")]
    [InlineData("2026-12-31T16:00:00.000000001Z", "2027H1", "2027-06-30T16:00:00Z")]
    [InlineData("2026-06-30T15:59:59.999999999Z", "2026H1", "2026-06-30T16:00:00Z")]
    [InlineData("2026-06-30T16:00:00Z", "2026H2", "2026-12-31T16:00:00Z")]
    [InlineData("2026-03-15T08:00:00Z", "2026H1", "2026-06-30T16:00:00Z")]
    public void LastStartAndNextRun_AtTheBoundaries(string now, string lastStart, string nextRun)
    {
        Assert.Equal(HalfYear.Parse(lastStart), RosterSchedule.LastScheduledStart(At(now)));
        Assert.Equal(At(nextRun), RosterSchedule.NextRun(At(now)));
    }

    [Theory]
    [InlineData("2026-06-30T15:58:00Z", "2026H2")] // 23:58 on 30 June in Shanghai: the run meant for 1 July, fired early
    [InlineData("2026-06-30T15:55:00Z", "2026H2")] // exactly the tolerance before the start
    [InlineData("2026-06-30T15:54:59Z", "2026H1")] // earlier than that: the half-year under way
    [InlineData("2026-06-30T16:00:00Z", "2026H2")]
    [InlineData("2026-07-01T16:00:00Z", "2026H2")]
    [InlineData("2026-12-31T15:57:00Z", "2027H1")]
    public void PeriodForScheduledRun_AllowsForARunFiredAFewMinutesEarly(string now, string period)
    {
        Assert.Equal(Duration.FromMinutes(5), RosterSchedule.EarlyRunTolerance);
        Assert.Equal(HalfYear.Parse(period), RosterSchedule.PeriodForScheduledRun(At(now)));
    }

    [Fact]
    public void NextRun_IsAlwaysMidnightOnJanuaryOrJulyFirstInShanghai_StrictlyAfterNow()
    {
        var zone = HalfYear.ShanghaiZone;
        var clock = new FakeClock(At("2025-11-20T03:00:00Z"));
        var runs = new List<ZonedDateTime>();
        for (var i = 0; i < 8; i++)
        {
            var now = clock.GetCurrentInstant();
            var next = RosterSchedule.NextRun(now);
            Assert.True(next > now);
            runs.Add(next.InZone(zone));
            clock.Reset(next);
        }

        Assert.All(runs, r => Assert.Equal(new LocalTime(0, 0), r.TimeOfDay));
        Assert.All(runs, r => Assert.Equal(1, r.Day));
        Assert.Equal([1, 7, 1, 7, 1, 7, 1, 7], runs.Select(r => r.Month).ToArray());
        Assert.Equal(2026, runs[0].Year);
        Assert.Equal(2029, runs[^1].Year);
    }

    [Fact]
    public void LastScheduledStart_IsAtOrBeforeNow_AndTheNextIsAfter()
    {
        var zone = HalfYear.ShanghaiZone;
        var now = At("2027-02-03T04:05:06Z");

        var last = RosterSchedule.LastScheduledStart(now);

        Assert.True(last.StartInstant(zone) <= now);
        Assert.True(now < RosterSchedule.NextRun(now));
        Assert.Equal(last.Next.StartInstant(zone), RosterSchedule.NextRun(now));
    }

    [Fact]
    public void PeriodToCatchUp_NothingMissed_IsNull()
    {
        var now = At("2026-07-03T01:00:00Z");

        Assert.Null(RosterSchedule.PeriodToCatchUp(HalfYear.Parse("2026H2"), now));
    }

    [Fact]
    public void PeriodToCatchUp_MissedStart_MakesUpTheCurrentPeriodOnce()
    {
        // Down over midnight on 1 July; back on 3 July.
        var now = At("2026-07-03T01:00:00Z");

        var due = RosterSchedule.PeriodToCatchUp(HalfYear.Parse("2026H1"), now);

        Assert.Equal(HalfYear.Parse("2026H2"), due);
        Assert.Null(RosterSchedule.PeriodToCatchUp(due, now)); // once made up, nothing more
    }

    [Fact]
    public void PeriodToCatchUp_SeveralStartsMissed_OnlyTheCurrentPeriod()
    {
        var now = At("2027-08-01T00:00:00Z");

        Assert.Equal(HalfYear.Parse("2027H2"), RosterSchedule.PeriodToCatchUp(HalfYear.Parse("2025H2"), now));
    }

    [Fact]
    public void PeriodToCatchUp_NeverRan_GivesTheCurrentPeriod()
    {
        Assert.Equal(HalfYear.Parse("2026H1"), RosterSchedule.PeriodToCatchUp(null, At("2026-01-20T00:00:00Z")));
    }

    [Fact]
    public void PeriodToCatchUp_ExactlyAtTheStart_IsDue()
    {
        Assert.Equal(HalfYear.Parse("2027H1"), RosterSchedule.PeriodToCatchUp(HalfYear.Parse("2026H2"), At("2026-12-31T16:00:00Z")));
        Assert.Null(RosterSchedule.PeriodToCatchUp(HalfYear.Parse("2026H2"), At("2026-12-31T15:59:59Z")));
    }
}
