using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace FinanceChain.Api.Localization;

/// <summary>
/// The languages the service speaks: Simplified Chinese first (the default, and the neutral language of every
/// resource file), English second. The API follows <c>Accept-Language</c>; pages follow the language cookie
/// that their switch sets and are Chinese without it, whatever the browser asks for.
/// </summary>
public static class Languages
{
    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    public static readonly IReadOnlyList<CultureInfo> Supported = [Chinese, English];

    /// <summary>The cookie the pages' language switch sets (the framework's own format, <c>c=en|uic=en</c>).</summary>
    public static readonly string CookieName = CookieRequestCultureProvider.DefaultCookieName;

    public static IServiceCollection AddLanguages(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<TextCatalog>();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Chinese);
            o.SupportedCultures = [.. Supported];
            o.SupportedUICultures = [.. Supported];
            // en-US and en-GB fall back to en; zh-TW or fr name neither language and get Chinese.
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            o.RequestCultureProviders =
            [
                new ApiAcceptLanguageProvider(),
                new CookieRequestCultureProvider { CookieName = CookieName },
            ];
        });
        return services;
    }

    /// <summary>True for the JSON API (<c>/api/…</c>), whose language is the request's <c>Accept-Language</c>.</summary>
    public static bool IsApi(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>Accept-Language</c>, for the API only: a page's language is its user's choice, kept in a cookie.</summary>
    private sealed class ApiAcceptLanguageProvider : RequestCultureProvider
    {
        private static readonly ProviderCultureResult DefaultResult = new(Chinese.Name);
        private readonly AcceptLanguageHeaderRequestCultureProvider _header = new() { MaximumAcceptLanguageHeaderValuesToTry = 5 };

        public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            if (!IsApi(httpContext))
            {
                return null;
            }

            // The API never reads the pages' cookie: a header that is absent or names neither language means Chinese
            // here, because a result the middleware cannot use would make it ask the cookie provider next.
            var result = await _header.DetermineProviderCultureResult(httpContext);
            return result is not null && result.UICultures.Any(IsSupported) ? result : DefaultResult;
        }

        private static bool IsSupported(Microsoft.Extensions.Primitives.StringSegment name)
        {
            try
            {
                for (var culture = CultureInfo.GetCultureInfo(name.ToString()); culture.Name.Length > 0; culture = culture.Parent)
                {
                    if (Supported.Any(s => s.Name.Equals(culture.Name, StringComparison.OrdinalIgnoreCase)))
                    {
                        return true;
                    }
                }
            }
            catch (CultureNotFoundException)
            {
            }

            return false;
        }
    }
}
