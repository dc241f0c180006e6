using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages;

/// <summary>
/// The status page of the pages (<c>/error/403</c>, <c>/error/404</c>, <c>/error/429</c>…), shown in place of the page
/// that failed with the failing status kept.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    private static readonly int[] Known = [400, 403, 404, 405, 429];

    public int Code { get; private set; }

    /// <summary>The key of the words for <see cref="Code"/>.</summary>
    public string TextKey => Known.Contains(Code) ? "page.status." + Code : "page.status.other";

    public IActionResult OnGet(int code) => Show(code);

    public IActionResult OnPost(int code) => Show(code);

    private PageResult Show(int code)
    {
        Code = code;
        // Reached directly, the page is a 404 itself; re-executed, it keeps the status of the page that failed.
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            Code = StatusCodes.Status404NotFound;
        }

        return Page();
    }
}
