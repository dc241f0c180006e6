using FinanceChain.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages.Rosters;

/// <summary><c>GET /rosters</c> (regulator, admin): every roster period and the half-year under way.</summary>
[Authorize(Policy = Policies.AdminOrRegulator)]
public sealed class IndexModel(RosterDesk desk) : PageModel
{
    public RosterDeskView Rosters { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Rosters = await desk.ReadAsync(cancellationToken);
}
