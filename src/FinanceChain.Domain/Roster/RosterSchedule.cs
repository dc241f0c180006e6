using NodaTime;

namespace FinanceChain.Domain;

/// <summary>
/// When the roster is republished: at 00:00 Asia/Shanghai on 1 January and 1 July a recurring job
/// compiles the draft of the period that starts that day. These pure rules let the job and
/// <c>GET /rosters/schedule</c> agree with the cron expression without parsing it.
/// </summary>
public static class RosterSchedule
{
    /// <summary>The recurring job's id.</summary>
    public const string JobId = "roster-republish";

    /// <summary>The cron expression: minute 0, hour 0, day 1, months January and July.</summary>
    public const string Cron = "0 0 1 1,7 *";

    /// <summary>The time zone the cron expression is read in.</summary>
    public const string TimeZoneId = HalfYear.ShanghaiZoneId;

    /// <summary>
    /// The period whose scheduled start (1 January or 1 July, 00:00 Shanghai) is the latest at or before
    /// <paramref name="now"/>: the period that contains <paramref name="now"/>. A run at exactly 00:00 on
    /// 1 July gives the H2 that starts then.
    /// </summary>
    public static HalfYear LastScheduledStart(Instant now) => HalfYear.Containing(now, HalfYear.ShanghaiZone);

    /// <summary>
    /// How early a scheduled run may fire and still be taken for the start it was meant for: clocks of the
    /// instances sharing the job storage differ by a little, and the dashboard's "Trigger now" may be pressed
    /// just before midnight.
    /// </summary>
    public static readonly Duration EarlyRunTolerance = Duration.FromMinutes(5);

    /// <summary>
    /// The period a scheduled run at <paramref name="now"/> compiles: the one whose start is the latest at or
    /// before <paramref name="now"/> + <see cref="EarlyRunTolerance"/>. A run at 23:58 on 30 June in Shanghai
    /// compiles the H2 that starts two minutes later, not the H1 that is ending; its metrics then miss whatever
    /// is accepted in those last minutes of H1.
    /// </summary>
    public static HalfYear PeriodForScheduledRun(Instant now) => LastScheduledStart(now + EarlyRunTolerance);

    /// <summary>The next scheduled run strictly after <paramref name="now"/>.</summary>
    public static Instant NextRun(Instant now) => LastScheduledStart(now).EndInstant(HalfYear.ShanghaiZone);

    /// <summary>
    /// The catch-up rule. Given the period of the last scheduled compile that actually ran (null: none
    /// ever ran), the period to compile now, or null when nothing was missed. A run missed while the
    /// service was down is made up once, for the period under way; periods that started and ended while
    /// it was down are not compiled afterwards.
    /// </summary>
    public static HalfYear? PeriodToCatchUp(HalfYear? lastScheduledRun, Instant now)
    {
        var due = LastScheduledStart(now);
        return lastScheduledRun is null || lastScheduledRun.Value < due ? due : null;
    }
}
