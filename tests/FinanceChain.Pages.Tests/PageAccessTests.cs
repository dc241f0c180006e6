using System.Net;
using System.Text.RegularExpressions;
using FinanceChain.Api.Roster;
using FinanceChain.Domain;
using FinanceChain.Pages.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Pages.Tests;

/// <summary>
/// Every page at the wire: who may open it (another role's page is 403, a period that does not exist 404, no session
/// a redirect to sign-in), forms without their antiforgery token change nothing, the API never honours the session
/// cookie, and every script, style, font and image comes from the service itself.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed partial class PageAccessTests(BrowserFixture browser)
{
    private const string Period = "2026H1";

    public static TheoryData<string, string, int> Access() => new()
    {
        { "/", "bank", 200 },
        { "/", "enterprise", 200 },
        { "/rosters", "regulator", 200 },
        { "/rosters", "admin", 200 },
        { "/rosters", "bank", 403 },
        { "/rosters", "enterprise", 403 },
        { $"/rosters/{Period}", "admin", 200 },
        { $"/rosters/{Period}", "bank", 403 },
        { $"/rosters/{Period}", "enterprise", 403 },
        { "/rosters/2031H1", "regulator", 404 },
        { "/rosters/2026h1", "regulator", 404 },
        { "/dashboard", "admin", 200 },
        { "/dashboard", "bank", 403 },
        { "/dashboard", "enterprise", 403 },
        { "/audit", "regulator", 200 },
        { "/audit", "admin", 403 },
        { "/audit", "bank", 403 },
        { "/audit", "enterprise", 403 },
        { "/hangfire", "bank", 403 },
        { "/hangfire", "enterprise", 403 },
        { "/roster", "bank", 200 },
        { "/roster/2031H1", "enterprise", 404 },
    };

    [Theory]
    [MemberData(nameof(Access))]
    public async Task Page_ByRole(string path, string role, int status)
    {
        using var client = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.Keys[Enum.Parse<Role>(role, ignoreCase: true)]);
        var response = await client.GetAsync(path);
        Assert.Equal(status, (int)response.StatusCode);
        if (status != 200)
        {
            // The status page, in words, not a JSON problem.
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/rosters")]
    [InlineData("/rosters/2026H1")]
    [InlineData("/dashboard")]
    [InlineData("/audit")]
    public async Task SignedInPage_WithoutASession_RedirectsToSignIn(string path)
    {
        using var client = SessionClient.Anonymous(browser.Server.BaseAddress);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?returnUrl=" + Uri.EscapeDataString(path), response.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task Api_NeverHonoursTheSessionCookie()
    {
        using var client = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.Keys[Role.Regulator]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/rosters")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync($"/api/v1/rosters/2026H2/return", JsonContent("{\"comment\":\"x\"}"))).StatusCode);
    }

    [Fact]
    public async Task SessionCookie_IsHttpOnly_SameSiteStrict_AndLastsEightHoursIdle()
    {
        using var client = SessionClient.Anonymous(browser.Server.BaseAddress);
        var token = await client.TokenAsync("/signin");
        var response = await client.PostAsync("/signin", SessionClient.Form(("key", browser.Server.Keys[Role.Bank]), ("__RequestVerificationToken", token)));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fc_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        // Over plain HTTP the cookie cannot be Secure; over HTTPS it is (SameAsRequest).
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Each changing form, posted without its token: 400, and the roster, the session and the language as they were.</summary>
    [Theory]
    [InlineData("/rosters/2026H2?handler=approve", "ApproveComment=ok")]
    [InlineData("/rosters/2026H2?handler=return", "ReturnComment=why")]
    [InlineData("/rosters/2026H2?handler=compile", "")]
    [InlineData("/signout", "")]
    [InlineData("/language", "culture=en&returnUrl=%2F")]
    [InlineData("/signin", "key=fc_x")]
    public async Task ChangingForm_WithoutItsAntiforgeryToken_Is400_AndChangesNothing(string path, string body)
    {
        using var client = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.Keys[Role.Regulator]);
        var rosters = browser.Server.Services.GetRequiredService<RosterStore>();
        var before = await rosters.GetAsync(HalfYear.Parse("2026H2"), CancellationToken.None);

        var response = await client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("fc_session=", StringComparison.Ordinal) || c.StartsWith(".AspNetCore.Culture", StringComparison.Ordinal)));
        var after = await rosters.GetAsync(HalfYear.Parse("2026H2"), CancellationToken.None);
        Assert.Equal(before!.Version, after!.Version);
        Assert.Equal(before.Roster.Status, after.Roster.Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    /// <summary>No page names another host: every src and href is a path of this service (bank intranets have no internet).</summary>
    [Theory]
    [InlineData("/signin", null)]
    [InlineData("/roster", null)]
    [InlineData("/roster/2026H1", null)]
    [InlineData("/", "regulator")]
    [InlineData("/", "bank")]
    [InlineData("/rosters", "regulator")]
    [InlineData("/rosters/2026H1", "regulator")]
    [InlineData("/rosters/2026H2", "admin")]
    [InlineData("/dashboard", "regulator")]
    [InlineData("/audit", "regulator")]
    [InlineData("/error/404", null)]
    public async Task Page_LoadsScriptsStylesFontsAndImagesFromTheServiceOnly(string path, string? role)
    {
        using var client = role is null
            ? SessionClient.Anonymous(browser.Server.BaseAddress)
            : await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.Keys[Enum.Parse<Role>(role, ignoreCase: true)]);
        var html = await (await client.GetAsync(path)).Content.ReadAsStringAsync();

        var references = Reference().Matches(html).Select(m => m.Groups[2].Value).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, url => Assert.True(url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal), $"{path} refers to {url}"));
        Assert.DoesNotMatch("url\\(\\s*['\"]?(https?:)?//", html);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stylesheet_LoadsNoFontOrImageFromElsewhere()
    {
        using var client = SessionClient.Anonymous(browser.Server.BaseAddress);
        var css = await client.GetStringAsync("/css/site.css");
        Assert.DoesNotMatch("(https?:)?//", css.Replace("/*", "", StringComparison.Ordinal));
        Assert.DoesNotContain("@import", css, StringComparison.Ordinal);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    // src= and href= of every element, and the action of forms.
    [GeneratedRegex("(src|href|action)=\"([^\"]*)\"")]
    private static partial Regex Reference();
}
