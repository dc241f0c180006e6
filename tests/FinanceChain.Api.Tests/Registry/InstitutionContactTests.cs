using System.Net;
using System.Text.Json.Nodes;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Matching;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Domain;

namespace FinanceChain.Api.Tests.Registry;

/// <summary>An institution's contact: set by admin, seen by admin, the regulator, the bank itself, and an enterprise once that bank made it an offer.</summary>
public sealed class InstitutionContactTests : IAsyncLifetime
{
    private static readonly object Contact = new { person = "王经理", phone = "027-87654321", email = "wang@bank-a.example.cn" };

    private readonly FinanceChainApp _app = new();
    private MatchingWorld _w = null!;

    public async Task InitializeAsync() => _w = await MatchingWorld.CreateAsync(_app);

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private Task<HttpResponseMessage> SetContactAsync(HttpClient client, string institutionId, object body, string? ifMatch) =>
        client.PutWithIfMatchAsync($"/api/v1/institutions/{institutionId}/contact", body, ifMatch);

    private static async Task<JsonNode?> ContactSeenByAsync(HttpClient client, string institutionId)
    {
        var one = await (await client.GetAsync($"/api/v1/institutions/{institutionId}")).ExpectAsync(HttpStatusCode.OK);
        var listed = (await (await client.GetAsync("/api/v1/institutions?limit=200")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray()
            .Single(i => i!["id"]!.GetValue<string>() == institutionId)!;
        Assert.Equal(one["contact"]?.ToJsonString(), listed["contact"]?.ToJsonString());
        return one["contact"];
    }

    [Fact]
    public async Task EnterpriseSeesTheContact_OnlyOnceTheBankMadeItAnOffer()
    {
        var etag = (await _w.Admin.GetAsync($"/api/v1/institutions/{_w.BankA}")).Headers.ETag!.Tag;
        var set = await SetContactAsync(_w.Admin, _w.BankA, Contact, etag);
        var body = await set.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("王经理", body["contact"]!["person"]!.GetValue<string>());
        Assert.NotEqual(etag, set.Headers.ETag!.Tag);

        Assert.NotNull(await ContactSeenByAsync(_w.Admin, _w.BankA));
        Assert.NotNull(await ContactSeenByAsync(_w.Regulator, _w.BankA));
        Assert.Equal("wang@bank-a.example.cn", (await ContactSeenByAsync(_w.A, _w.BankA))!["email"]!.GetValue<string>());
        Assert.Null(await ContactSeenByAsync(_w.B, _w.BankA)); // another bank
        Assert.Null(await ContactSeenByAsync(_w.SmeClient, _w.BankA)); // no offer yet

        var product = await _w.A.CreateProductAsync(ProductData.Product());
        var request = await _w.RequestAsync();
        await _w.A.CreateOfferAsync(request, ProductData.Offer(product));

        Assert.Equal("027-87654321", (await ContactSeenByAsync(_w.SmeClient, _w.BankA))!["phone"]!.GetValue<string>());
        Assert.Null(await ContactSeenByAsync(_w.OtherSmeClient, _w.BankA)); // the offer was to someone else
    }

    [Fact]
    public async Task SetAtCreation_Validated_AndShownToAdmin()
    {
        var created = await (await _w.Admin.PostJsonAsync("/api/v1/institutions", new
        {
            name = "中国建设银行湖北省分行",
            kind = "largeStateOwned",
            creditCode = TestData.CreditCodeIn(),
            region = "420100",
            contact = new { person = " 李行长 ", phone = "+86 138 0013 8000", email = "li@ccb.example.cn" },
        })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("李行长", created["contact"]!["person"]!.GetValue<string>());

        var bad = await _w.Admin.PostJsonAsync("/api/v1/institutions", new
        {
            name = "中国农业银行湖北省分行",
            kind = "largeStateOwned",
            creditCode = TestData.CreditCodeIn(),
            region = "420100",
            contact = new { person = "", phone = "call me", email = "not-an-address" },
        });
        var problem = await bad.ExpectProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("contact.person"));
        Assert.True(errors.ContainsKey("contact.phone"));
        Assert.True(errors.ContainsKey("contact.email"));
    }

    [Fact]
    public async Task Update_NeedsAdmin_IfMatch_AndAKnownInstitution()
    {
        var etag = (await _w.Admin.GetAsync($"/api/v1/institutions/{_w.BankA}")).Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.Unauthorized, (await SetContactAsync(_app.ClientWithKey(null), _w.BankA, Contact, etag)).StatusCode);
        await (await SetContactAsync(_w.A, _w.BankA, Contact, etag)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await SetContactAsync(_w.Regulator, _w.BankA, Contact, etag)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await SetContactAsync(_w.Admin, TestData.UnknownId("ins"), Contact, etag)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await SetContactAsync(_w.Admin, _w.BankA, Contact, null)).ExpectProblemAsync(HttpStatusCode.PreconditionRequired);
        await (await SetContactAsync(_w.Admin, _w.BankA, new { person = "王经理", phone = "027", email = "wang@bank-a.example.cn" }, etag))
            .ExpectValidationErrorAsync("contact.phone");
        Assert.Null(await ContactSeenByAsync(_w.Admin, _w.BankA)); // nothing changed so far

        await (await SetContactAsync(_w.Admin, _w.BankA, Contact, etag)).ExpectAsync(HttpStatusCode.OK);
        await (await SetContactAsync(_w.Admin, _w.BankA, Contact, etag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed); // stale
    }
}
