using FinanceChain.Api.Auth;
using FinanceChain.Api.Pages.Rosters;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages;

/// <summary>
/// <c>GET /</c>: the signed-in person's desk (without a session, the sign-in page). The central-bank branch and the
/// admin see the roster review desk; banks and enterprises a welcome with their institution or enterprise.
/// </summary>
[Authorize]
public sealed class IndexModel(RosterDesk desk) : PageModel
{
    public Caller Caller { get; private set; } = null!;

    public string? PartyName { get; private set; }

    /// <summary>The review desk; null for banks and enterprises.</summary>
    public RosterDeskView? Rosters { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Caller = Caller.From(User);
        PartyName = User.FindFirst(Caller.PartyNameClaim)?.Value;
        if (Caller.SeesEverything)
        {
            Rosters = await desk.ReadAsync(cancellationToken);
        }
    }
}
