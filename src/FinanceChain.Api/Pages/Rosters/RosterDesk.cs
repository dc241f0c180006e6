using FinanceChain.Api.Http;
using FinanceChain.Api.Roster;
using FinanceChain.Domain;
using Hangfire;
using NodaTime;

namespace FinanceChain.Api.Pages.Rosters;

/// <summary>What the review desk shows of the rosters: every period, the half-year under way and the job's schedule.</summary>
/// <param name="Periods">Every roster, newest period first.</param>
/// <param name="Current">The half-year under way in Shanghai.</param>
/// <param name="CurrentRoster">Its roster, if compiled.</param>
/// <param name="MayCompileCurrent">Whether the half-year under way can be compiled (again) now: not published.</param>
/// <param name="Schedule">The roster-republish job.</param>
public sealed record RosterDeskView(
    IReadOnlyList<RosterSummaryResponse> Periods,
    HalfYear Current,
    RosterSummaryResponse? CurrentRoster,
    bool MayCompileCurrent,
    RosterScheduleResponse Schedule);

/// <summary>Reads the review desk from <see cref="RosterStore"/> and the job storage, as the roster API does.</summary>
public sealed class RosterDesk(RosterStore rosters, RosterRepublishJob job, JobStorage storage, IClock clock)
{
    public async Task<RosterDeskView> ReadAsync(CancellationToken cancellationToken)
    {
        var periods = new List<RosterSummaryResponse>();
        string? cursor = null;
        do
        {
            var page = await rosters.ListAsync(PageRequest.From(PageRequest.MaxLimit, cursor), publishedOnly: false, cancellationToken);
            periods.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);

        periods.Reverse();
        var current = RosterSchedule.LastScheduledStart(clock.GetCurrentInstant());
        var currentRoster = periods.FirstOrDefault(p => p.Period == current.ToString());
        var schedule = await RosterJobs.ScheduleAsync(storage, job, clock, cancellationToken);
        return new RosterDeskView(periods, current, currentRoster, currentRoster?.Status != RosterStatus.Published, schedule);
    }
}
