using FinanceChain.Api.Auth;
using FinanceChain.Api.Keys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace FinanceChain.Api.Pages;

/// <summary>
/// <c>GET /signin</c> shows the form; <c>POST /signin</c> with field <c>key</c> starts a session and goes on to the
/// desk (or the page that sent the person here). A wrong key shows the form again with a message and counts
/// against the address (<see cref="SignInThrottle"/>).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(SignInThrottle.PolicyName)]
public sealed class SignInModel(KeyStore keys, SignInThrottle throttle) : PageModel
{
    /// <summary>The longest key accepted; real keys are 46 characters.</summary>
    public const int MaxKeyLength = 200;

    [BindProperty]
    public string? Key { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The key of the message shown beside the field, if any.</summary>
    public string? KeyError { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var key = Key?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            KeyError = "page.signin.keyMissing";
            return Page();
        }

        var row = key.Length <= MaxKeyLength ? await keys.FindActiveAsync(key, cancellationToken) : null;
        if (row is null)
        {
            throttle.RecordFailure(SignInThrottle.AddressOf(HttpContext));
            KeyError = "page.signin.keyWrong";
            Key = null;
            return Page();
        }

        await SessionAuthentication.SignInAsync(HttpContext, row);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
