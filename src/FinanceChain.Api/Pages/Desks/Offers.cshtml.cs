using FinanceChain.Api.Auth;
using FinanceChain.Api.Http;
using FinanceChain.Api.Matching;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages.Desks;

/// <summary><c>/offers?status=</c> (bank): the bank's own offers, newest first, 20 a page, by status (pending, accepted, declined, expired).</summary>
[Authorize(Policy = Policies.Bank)]
public sealed class OffersModel(OfferStore offers) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "cursor")]
    public string? Cursor { get; set; }

    public OfferStatus? Filter { get; private set; }

    public Page<OfferResponse> Items { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Filter = FormInput.Enum<OfferStatus>(Status);
        Items = await offers.ListForBankAsync(Caller.From(User), Filter, PageRequest.From(PageSize, Cursor), cancellationToken);
    }
}
