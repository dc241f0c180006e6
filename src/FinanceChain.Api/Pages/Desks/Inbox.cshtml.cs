using FinanceChain.Api.Auth;
using FinanceChain.Api.Http;
using FinanceChain.Api.Matching;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages.Desks;

/// <summary>
/// <c>/inbox</c> (bank): the open requests its active products can serve, 20 a page, through the reverse index behind
/// <c>GET /banks/me/matched-requests</c>, each with the enterprise's name, size and region.
/// </summary>
[Authorize(Policy = Policies.Bank)]
public sealed class InboxModel(BankInbox inbox) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "cursor")]
    public string? Cursor { get; set; }

    public Page<MatchedRequestResponse> Items { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Items = await inbox.ListAsync(Caller.From(User), PageRequest.From(PageSize, Cursor), cancellationToken);
}
