using FinanceChain.Api.Auth;
using FinanceChain.Api.Http;
using FinanceChain.Api.Products;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages.Desks;

/// <summary><c>/products</c> (bank): the bank's active products, 20 a page, each with edit and withdraw.</summary>
[Authorize(Policy = Policies.Bank)]
public sealed class ProductsModel(ProductStore products, PageWords words) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "cursor")]
    public string? Cursor { get; set; }

    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    public Page<ProductResponse> Items { get; private set; } = new([], null);

    public FormErrors Errors { get; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostWithdrawAsync(string productId, CancellationToken cancellationToken)
    {
        try
        {
            await products.WithdrawAsync(productId ?? "", Caller.From(User), cancellationToken);
            return Redirect("/products?done=withdrawn");
        }
        catch (Exception e) when (FormErrors.IsUserError(e))
        {
            Errors.Add(e, words);
            Response.StatusCode = FormErrors.StatusOf(e);
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Items = await products.ListAsync(null, null, Caller.From(User).BankInstitutionId, PageRequest.From(PageSize, Cursor), cancellationToken);
}
