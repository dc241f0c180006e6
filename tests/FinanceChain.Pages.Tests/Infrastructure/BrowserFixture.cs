using System.Text.RegularExpressions;
using FinanceChain.Domain;
using Microsoft.Playwright;

namespace FinanceChain.Pages.Tests.Infrastructure;

/// <summary>One server and one browser for every browser test (an xunit collection fixture).</summary>
[CollectionDefinition(nameof(BrowserCollection))]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>;

/// <summary>
/// The shared server with the demo data and Debian's Chromium, launched once. Each test opens its own browser
/// context (its own cookies), and every request a page makes is recorded, so that a test can check that nothing came
/// from another host.
/// </summary>
public sealed partial class BrowserFixture : IAsyncLifetime
{
    /// <summary>Where Debian's package puts Chromium; no browser is downloaded.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>
    /// How long an action, a navigation or an expectation may wait. The tests share two cores with the other test
    /// assemblies, so Playwright's defaults (30 s for actions, 5 s for expectations) are raised: a wait that ends in
    /// success costs no more, only a failing one takes longer to report.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private IPlaywright _playwright = null!;

    public PagesServer Server { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl => Server.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        await Server.StartAsync();
        await Server.WarmUpAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>
    /// A fresh browser context and page (Chinese browser, 1400×1000) on the shared server, or on
    /// <paramref name="server"/> for tests that change what the others read, recording the URL of every request.
    /// </summary>
    public async Task<BrowserSession> OpenAsync(string locale = "zh-CN", PagesServer? server = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server is null ? BaseUrl : server.BaseAddress.ToString().TrimEnd('/'),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Patience.TotalMilliseconds);
        var page = await context.NewPageAsync();
        var session = new BrowserSession(context, page);
        page.Request += (_, request) => session.Requests.Add(request.Url);
        return session;
    }

    /// <summary>Opens a browser and signs in with the demo's key of <paramref name="role"/>, as a person would.</summary>
    public async Task<BrowserSession> SignedInAsync(Role role)
    {
        var session = await OpenAsync();
        await session.SignInAsync(Server.Keys[role]);
        return session;
    }

    /// <summary>Opens a browser on <paramref name="server"/> and signs in with <paramref name="key"/>, as a person would.</summary>
    public async Task<BrowserSession> SignedInAsync(string key, PagesServer? server = null)
    {
        var session = await OpenAsync(server: server);
        await session.SignInAsync(key);
        return session;
    }

    /// <summary>The hidden antiforgery field of a form in <paramref name="html"/>.</summary>
    public static string AntiforgeryToken(string html) =>
        TokenField().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("The page has no antiforgery token.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

/// <summary>A browser context with its page and the URLs it requested.</summary>
public sealed class BrowserSession(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    public List<string> Requests { get; } = [];

    /// <summary>Types the key into the sign-in form and submits it; waits for the page after.</summary>
    public async Task SignInAsync(string key)
    {
        await Page.GotoAsync("/signin");
        await Page.GetByLabel("访问密钥").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
