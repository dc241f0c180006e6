using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Dashboard;
using FinanceChain.Api.Pages.Rosters;

namespace FinanceChain.Api.Pages;

/// <summary>
/// The pages for people (Razor Pages under <c>Pages/</c>), their static files under <c>wwwroot/</c>, sign-in and the
/// HTML status pages. They call the same stores as the API, under the same roles.
/// </summary>
public static class PagesSetup
{
    public const string AntiforgeryCookieName = "fc_antiforgery";

    public static IServiceCollection AddPages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorPages(o => o.Conventions.ConfigureFilter(new PageErrorFilter()));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookieName;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // Chinese text stays as it is in the HTML instead of becoming &#x...; entities (still HTML-encoded where needed).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddSignInThrottle(configuration);
        services.AddSingleton<PageWords>();
        services.AddSingleton<RosterDesk>();
        services.AddSingleton<DashboardStore>();
        services.AddSingleton<AuditTrail>();
        return services;
    }

    /// <summary>
    /// True for a request a page answers (HTML), false for the JSON API, the API reference and health, whose errors
    /// stay problem details. The jobs dashboard counts as a page: its refusals are the pages' 403.
    /// </summary>
    public static bool IsPage(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var path = http.Request.Path;
        return !(path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/docs", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Errors of pages are pages too: a 403, 404 or 429 without a body is answered by <c>/error/{code}</c>.</summary>
    public static IApplicationBuilder UsePageStatusPages(this IApplicationBuilder app) =>
        app.UseWhen(IsPage, branch => branch.UseStatusCodePagesWithReExecute("/error/{0}"));

    /// <summary>The service's own scripts, styles and images (nothing is loaded from another host).</summary>
    public static IApplicationBuilder UsePageFiles(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder routes)
    {
        routes.MapRazorPages();
        return routes;
    }
}
