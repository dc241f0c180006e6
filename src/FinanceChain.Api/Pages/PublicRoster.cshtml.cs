using FinanceChain.Api.Http;
using FinanceChain.Api.Roster;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages;

/// <summary>
/// <c>/roster</c> (public, no sign-in): the latest published roster (公示), or <c>/roster/{period}</c> an earlier one;
/// the list of published periods; downloads of the latest as CSV and XLSX. Only what is public: no flags, no review
/// comment, no metrics of a roster not yet published.
/// </summary>
[AllowAnonymous]
public sealed class PublicRosterModel(RosterStore rosters) : PageModel
{
    /// <summary>The roster shown; null when nothing has been published yet.</summary>
    public HalfYearRoster? Roster { get; private set; }

    public bool IsLatest { get; private set; }

    /// <summary>Published periods, newest first.</summary>
    public IReadOnlyList<RosterSummaryResponse> Published { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? period, CancellationToken cancellationToken)
    {
        var published = new List<RosterSummaryResponse>();
        string? cursor = null;
        do
        {
            var page = await rosters.ListAsync(PageRequest.From(PageRequest.MaxLimit, cursor), publishedOnly: true, cancellationToken);
            published.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);

        published.Reverse();
        Published = published;
        if (period is null)
        {
            Roster = (await rosters.LatestPublishedAsync(cancellationToken))?.Roster;
            IsLatest = true;
            return Page();
        }

        if (!HalfYear.TryParse(period, out var halfYear))
        {
            return NotFound();
        }

        var stored = await rosters.GetAsync(halfYear, cancellationToken);
        if (stored is null || stored.Roster.Status != RosterStatus.Published)
        {
            return NotFound();
        }

        Roster = stored.Roster;
        IsLatest = published.Count > 0 && published[0].Period == period;
        return Page();
    }
}
