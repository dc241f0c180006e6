using System.Net;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Http;
using FinanceChain.Api.Matching;
using FinanceChain.Api.Notes;
using FinanceChain.Domain;
using FinanceChain.Pages.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Pages.Tests;

/// <summary>
/// The desks at the wire, on the shared server (nothing here changes anything): each role's pages and no other's,
/// another tenant's request or note is 404 (never revealed), no session sends the browser to sign in, and a form
/// posted without its antiforgery token is a 400 that changes nothing.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class DeskAccessTests(BrowserFixture browser)
{
    private static readonly Caller Regulator = new("test", "test", Role.Regulator, null, null);

    public static TheoryData<string, string, int> Access() => new()
    {
        { "/requests", "SME 襄阳驰远", 200 },
        { "/requests/new", "SME 襄阳驰远", 200 },
        { "/receivables", "SME 襄阳驰远", 200 },
        { "/notes", "SME 襄阳驰远", 200 },
        { "/notes/new", "core enterprise 东湖汽车", 200 },
        { "/notes/new", "SME 襄阳驰远", 403 },
        { "/inbox", "SME 襄阳驰远", 403 },
        { "/offers", "SME 襄阳驰远", 403 },
        { "/products", "SME 襄阳驰远", 403 },
        { "/inbox", "bank 中国银行", 200 },
        { "/offers", "bank 中国银行", 200 },
        { "/offers?status=accepted", "bank 中国银行", 200 },
        { "/products", "bank 中国银行", 200 },
        { "/notes", "bank 中国银行", 200 },
        { "/requests", "bank 中国银行", 403 },
        { "/requests/new", "bank 中国银行", 403 },
        { "/receivables", "bank 中国银行", 403 },
        { "/notes/new", "bank 中国银行", 403 },
        { "/inbox", "regulator", 403 },
        { "/requests", "regulator", 403 },
        { "/requests/frq_00000000000000000000000000000000", "SME 襄阳驰远", 404 },
        { "/notes/nte_00000000000000000000000000000000", "SME 襄阳驰远", 404 },
        { "/products/prd_00000000000000000000000000000000/edit", "bank 中国银行", 404 },
    };

    [Theory]
    [MemberData(nameof(Access))]
    public async Task DeskPage_ByRole(string path, string person, int status)
    {
        using var client = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.KeyOf(person));
        var response = await client.GetAsync(path);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/requests")]
    [InlineData("/requests/new")]
    [InlineData("/inbox")]
    [InlineData("/offers")]
    [InlineData("/products")]
    [InlineData("/notes")]
    [InlineData("/notes/new")]
    [InlineData("/receivables")]
    public async Task DeskPage_WithoutASession_RedirectsToSignIn(string path)
    {
        using var client = SessionClient.Anonymous(browser.Server.BaseAddress);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?returnUrl=" + Uri.EscapeDataString(path), response.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task AnotherTenantsRequestAndNote_Are404_ForAnotherSme_AndForABankWithoutAnOffer()
    {
        var (request, note) = await SmeRequestAndNoteAsync();
        using var owner = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.KeyOf("SME 襄阳驰远"));
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/requests/{request}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/notes/{note}")).StatusCode);

        using var other = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.KeyOf("SME 长沙湘力"));
        var hidden = await other.GetAsync($"/requests/{request}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.DoesNotContain("襄阳驰远", await hidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/notes/{note}")).StatusCode);

        // The lead bank made the offer on that request and opens it; another bank does not, and holds no part of
        // the note (a bank and a live request it cannot serve: DeskJourneyTests).
        using var lender = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.KeyOf("bank 中国银行"));
        Assert.Equal(HttpStatusCode.OK, (await lender.GetAsync($"/requests/{request}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lender.GetAsync($"/notes/{note}")).StatusCode);
        using var bank = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.KeyOf("bank 中国农业银行"));
        Assert.Equal(HttpStatusCode.NotFound, (await bank.GetAsync($"/requests/{request}")).StatusCode);
    }

    [Fact]
    public async Task AcceptingAnotherSmesOffer_OrWithdrawingItsRequest_Is404_AndChangesNothing()
    {
        var (request, _) = await SmeRequestAndNoteAsync();
        var requests = browser.Server.Services.GetRequiredService<FinancingRequestStore>();
        var before = (await requests.GetAsync(request, Regulator, CancellationToken.None)).Status;
        using var other = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.KeyOf("SME 长沙湘力"));
        var token = await other.TokenAsync("/requests");

        var withdraw = await other.PostAsync($"/requests/{request}?handler=withdraw", SessionClient.Form(("__RequestVerificationToken", token)));

        Assert.Equal(HttpStatusCode.NotFound, withdraw.StatusCode);
        Assert.Equal(before, (await requests.GetAsync(request, Regulator, CancellationToken.None)).Status);
    }

    /// <summary>Each changing form of the desks, posted without its token: 400, and nothing made or moved.</summary>
    [Theory]
    [InlineData("/requests/new", "chainId=x&amount=1000&termDays=30&purpose=test")]
    [InlineData("/receivables?handler=register", "debtorId=x&amount=1000&dueDate=2027-01-01&invoiceNumbers=26420000000000000001")]
    [InlineData("/notes/{note}?handler=passOn", "toEnterpriseId=x&amount=1")]
    [InlineData("/requests/{request}?handler=withdraw", "")]
    public async Task DeskForm_WithoutItsAntiforgeryToken_Is400_AndChangesNothing(string path, string body)
    {
        var (request, note) = await SmeRequestAndNoteAsync();
        var requests = browser.Server.Services.GetRequiredService<FinancingRequestStore>();
        var notes = browser.Server.Services.GetRequiredService<NoteStore>();
        var requestsBefore = await StatesAsync(requests);
        var noteBefore = await notes.GetAsync(note, Regulator, CancellationToken.None);
        using var client = await SessionClient.SignedInAsync(browser.Server.BaseAddress, browser.Server.KeyOf("SME 襄阳驰远"));

        var response = await client.PostAsync(path.Replace("{note}", note, StringComparison.Ordinal).Replace("{request}", request, StringComparison.Ordinal),
            new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(requestsBefore, await StatesAsync(requests));
        Assert.Equal(noteBefore!.Holdings, (await notes.GetAsync(note, Regulator, CancellationToken.None))!.Holdings);
    }

    [Fact]
    public async Task RefusedForm_ShowsTheApisMessageBesideTheField_InEnglishWhenSwitched()
    {
        await using var session = await browser.OpenAsync();
        await session.SignInAsync(browser.Server.KeyOf("SME 襄阳驰远"));
        var page = session.Page;
        await page.GotoAsync("/requests/new");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await page.GetByLabel("Amount (yuan)").FillAsync("1.005");
        await page.GetByLabel("Term (days)").FillAsync("0");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Submit request" }).ClickAsync();

        var amount = page.Locator(".field-error", new() { Has = page.GetByLabel("Amount (yuan)") });
        await Microsoft.Playwright.Assertions.Expect(amount).ToContainTextAsync("at most 2 decimals");
        await Microsoft.Playwright.Assertions.Expect(page.Locator(".field-error", new() { Has = page.GetByLabel("Term (days)") }).Locator(".error-text")).ToBeVisibleAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
    }

    /// <summary>A request of the demo's SME (its first) and the live note the core enterprise issued to it.</summary>
    private async Task<(string Request, string Note)> SmeRequestAndNoteAsync()
    {
        var requests = browser.Server.Services.GetRequiredService<FinancingRequestStore>();
        var all = (await requests.ListAsync(Regulator, PageRequest.From(PageRequest.MaxLimit, null), CancellationToken.None)).Items;
        var request = all.First(r => r.EnterpriseName == "襄阳驰远汽车零部件有限公司(演示)").Id;
        var notes = browser.Server.Services.GetRequiredService<NoteStore>();
        var note = (await notes.ListAsync(PageRequest.From(PageRequest.MaxLimit, null), Regulator, CancellationToken.None)).Items
            .Last(n => n.PayeeName == "襄阳驰远汽车零部件有限公司(演示)" && n.Status == NoteStatusView.Outstanding).Id;
        return (request, note);
    }

    private static async Task<List<string>> StatesAsync(FinancingRequestStore requests) =>
        (await requests.ListAsync(Regulator, PageRequest.From(PageRequest.MaxLimit, null), CancellationToken.None)).Items.Select(r => $"{r.Id}:{r.Status}").ToList();
}
