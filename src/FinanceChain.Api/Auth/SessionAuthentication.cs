using System.Security.Claims;
using FinanceChain.Api.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace FinanceChain.Api.Auth;

/// <summary>
/// Sign-in for people: an API key typed once into <c>/signin</c> becomes a cookie session (HttpOnly,
/// SameSite=Strict, Secure over HTTPS, 8 hours, renewed while in use). The cookie holds the key's id and claims,
/// encrypted by ASP.NET Core data protection, never the key itself. Every request of a session checks the key
/// again by id (one primary-key read, as the API does with its header), so revoking the key ends its sessions at
/// their next request.
/// </summary>
/// <remarks>
/// Which scheme answers a request is decided by <see cref="SchemeFor"/>: the JSON API under <c>/api</c> only ever
/// reads <c>X-Api-Key</c> (a browser's cookie is never honoured there, so no page can lend its session to a
/// cross-site script); elsewhere a request that carries <c>X-Api-Key</c> is authenticated by it, and anything else by
/// the session cookie.
/// </remarks>
public static class SessionAuthentication
{
    /// <summary>The cookie scheme of the pages.</summary>
    public const string SchemeName = "Session";

    /// <summary>The default scheme: picks <see cref="ApiKeyAuthentication"/> or the session per request.</summary>
    public const string SelectorName = "ApiKeyOrSession";

    public const string CookieName = "fc_session";
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";

    /// <summary>How long a session lives without use.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    /// <summary>The scheme that authenticates <paramref name="http"/>.</summary>
    public static string SchemeFor(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || http.Request.Headers.ContainsKey(ApiKeyAuthentication.Header)
            ? ApiKeyAuthentication.SchemeName
            : SchemeName;
    }

    public static AuthenticationBuilder AddSession(this AuthenticationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddPolicyScheme(SelectorName, null, o => o.ForwardDefaultSelector = SchemeFor);
        builder.AddCookie(SchemeName, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = SignInPath;
            o.LogoutPath = SignOutPath;
            o.ReturnUrlParameter = "returnUrl";
            o.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = ValidateAsync,
                // Another role's page is a 403 (the status page explains it), not a redirect to a page of its own.
                OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                },
            };
        });
        return builder;
    }

    /// <summary>A signed-in session for <paramref name="key"/>; not persistent, so closing the browser ends it too.</summary>
    public static Task SignInAsync(HttpContext http, ApiKeyRow key) =>
        http.SignInAsync(SchemeName, ApiKeyAuthentication.PrincipalOf(key, SchemeName), new AuthenticationProperties { IsPersistent = false });

    /// <summary>Ends the session of <paramref name="http"/>.</summary>
    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(SchemeName);

    /// <summary>
    /// The key behind the session must still be active: a revoked key signs its sessions out. Its claims are
    /// read afresh, so a renamed institution shows under its new name.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var keyId = context.Principal?.FindFirstValue(Caller.KeyIdClaim);
        var key = keyId is null
            ? null
            : await context.HttpContext.RequestServices.GetRequiredService<KeyStore>().FindActiveByIdAsync(keyId, context.HttpContext.RequestAborted);
        if (key is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SchemeName);
            return;
        }

        context.ReplacePrincipal(ApiKeyAuthentication.PrincipalOf(key, SchemeName));
    }
}
