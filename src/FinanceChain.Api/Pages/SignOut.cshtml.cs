using FinanceChain.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages;

/// <summary><c>POST /signout</c> ends the session and shows the sign-in form; a GET only goes back to the desk.</summary>
[AllowAnonymous]
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await SessionAuthentication.SignOutAsync(HttpContext);
        return LocalRedirect(SessionAuthentication.SignInPath);
    }
}
