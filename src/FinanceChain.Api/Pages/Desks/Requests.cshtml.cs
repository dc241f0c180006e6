using FinanceChain.Api.Auth;
using FinanceChain.Api.Http;
using FinanceChain.Api.Matching;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages.Desks;

/// <summary><c>/requests</c> (enterprise): the enterprise's own financing requests, 20 a page, through the store the API's list uses.</summary>
[Authorize(Policy = Policies.Enterprise)]
public sealed class RequestsModel(FinancingRequestStore requests) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "cursor")]
    public string? Cursor { get; set; }

    public Page<FinancingRequestResponse> Items { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Items = await requests.ListAsync(Caller.From(User), PageRequest.From(PageSize, Cursor), cancellationToken);
}
