using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FinanceChain.Api.Idempotency;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Matching;
using FinanceChain.Api.Tests.Notes;
using FinanceChain.Api.Tests.Products;

namespace FinanceChain.Api.Tests.Idempotency;

/// <summary>
/// Idempotency-Key on every route that creates something, on every provider (<see cref="SqliteIdempotencyScopeTests"/>,
/// <see cref="SqlServerIdempotencyScopeTests"/>).
/// </summary>
public abstract class IdempotencyScopeSuite<TProvider>
    where TProvider : DatabaseProvider, new()
{
    private static FinanceChainApp NewApp() => new TProvider().NewApp();

    private static HttpRequestMessage Post(string url, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Add(IdempotencyEndpoints.HeaderName, key);
        return request;
    }

    [ProviderFact]
    public async Task CreateNote_SameKeyOnOtherSpellingsOfTheUrl_CreatesOneNote()
    {
        var world = new NotesWorld(NewApp());
        await world.InitializeAsync();
        try
        {
            var body = NotesWorld.NoteBody(world.SupplierId, 1_000m);
            var first = await world.Core.SendAsync(Post("/api/v1/notes", body, "order-1"));
            var created = await first.ExpectAsync(HttpStatusCode.Created);

            foreach (var url in new[] { "/api/v1/notes/", "/API/v1/Notes" })
            {
                var again = await world.Core.SendAsync(Post(url, body, "order-1"));
                var replayed = await again.ExpectAsync(HttpStatusCode.Created);
                Assert.Equal(created["id"]!.GetValue<string>(), replayed["id"]!.GetValue<string>());
                Assert.True(again.Headers.Contains(IdempotencyEndpoints.ReplayedHeaderName));
            }

            var notes = await (await world.Core.GetAsync("/api/v1/notes")).ExpectAsync(HttpStatusCode.OK);
            Assert.Single(notes["items"]!.AsArray());
        }
        finally
        {
            await world.DisposeAsync();
        }
    }

    [ProviderFact]
    public async Task FinancingRequest_Replay_ReturnsSameRequest_OtherBodyIs422_AndOnlyOneIsStored()
    {
        using var app = NewApp();
        var world = await MatchingWorld.CreateAsync(app);
        var body = ProductData.Request(world.Chain);

        var first = await (await world.SmeClient.SendAsync(Post("/api/v1/financing-requests", body, "need-1"))).ExpectAsync(HttpStatusCode.Created);
        var replay = await world.SmeClient.SendAsync(Post("/api/v1/financing-requests", body, "need-1"));
        var second = await replay.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());

        var other = new Dictionary<string, object?>(body) { ["amount"] = 123_456.78m };
        await (await world.SmeClient.SendAsync(Post("/api/v1/financing-requests", other, "need-1"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        // The same key from another enterprise is its own request.
        await (await world.OtherSmeClient.SendAsync(Post("/api/v1/financing-requests", body, "need-1"))).ExpectAsync(HttpStatusCode.Created);

        var mine = await (await world.SmeClient.GetAsync("/api/v1/financing-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(mine["items"]!.AsArray());
    }

    [ProviderFact]
    public async Task Product_Replay_ReturnsSameProduct_OtherBodyIs422_AndOnlyOneIsStored()
    {
        using var app = NewApp();
        var world = await MatchingWorld.CreateAsync(app);
        var body = ProductData.Product("幂等产品");

        var first = await (await world.A.SendAsync(Post("/api/v1/products", body, "prd-1"))).ExpectAsync(HttpStatusCode.Created);
        var replay = await world.A.SendAsync(Post("/api/v1/products", body, "prd-1"));
        Assert.Equal(first["id"]!.GetValue<string>(), (await replay.ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>());
        Assert.True(replay.Headers.Contains(IdempotencyEndpoints.ReplayedHeaderName));

        var other = new Dictionary<string, object?>(body) { ["name"] = "另一个产品" };
        await (await world.A.SendAsync(Post("/api/v1/products", other, "prd-1"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        var mine = await (await world.A.GetAsync($"/api/v1/products?institutionId={world.BankA}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(mine["items"]!.AsArray());
    }

    [ProviderFact]
    public async Task Offer_Replay_ReturnsSameOffer_AndOnlyOneIsStored()
    {
        using var app = NewApp();
        var world = await MatchingWorld.CreateAsync(app);
        var product = await world.A.CreateProductAsync(ProductData.Product());
        var request = await world.RequestAsync();
        var body = ProductData.Offer(product);

        var first = await (await world.A.SendAsync(Post($"/api/v1/financing-requests/{request}/offers", body, "ofr-1"))).ExpectAsync(HttpStatusCode.Created);
        var second = await (await world.A.SendAsync(Post($"/api/v1/financing-requests/{request}/offers", body, "ofr-1"))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        var other = new Dictionary<string, object?>(body) { ["rateBps"] = 420 };
        await (await world.A.SendAsync(Post($"/api/v1/financing-requests/{request}/offers", other, "ofr-1"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        var offers = await (await world.SmeClient.GetAsync($"/api/v1/financing-requests/{request}/offers")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(offers["items"]!.AsArray());
    }

    [ProviderFact]
    public async Task RegistryWrites_Replay_ReturnTheSameResource()
    {
        using var app = NewApp();
        var admin = await app.ClientAsync(FinanceChain.Domain.Role.Admin);
        var chain = TestData.Chain(null, "420100");
        var chainId = (await (await admin.SendAsync(Post("/api/v1/chains", chain, "chn-1"))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        Assert.Equal(chainId, (await (await admin.SendAsync(Post("/api/v1/chains", chain, "chn-1"))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>());

        var institution = TestData.Institution("420100");
        var institutionId = (await (await admin.SendAsync(Post("/api/v1/institutions", institution, "ins-1"))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        Assert.Equal(institutionId, (await (await admin.SendAsync(Post("/api/v1/institutions", institution, "ins-1"))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>());

        var enterprise = TestData.Enterprise(chainId, "core", "420100");
        var enterpriseId = (await (await admin.SendAsync(Post("/api/v1/enterprises", enterprise, "ent-1"))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        Assert.Equal(enterpriseId, (await (await admin.SendAsync(Post("/api/v1/enterprises", enterprise, "ent-1"))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>());
    }

    [ProviderFact]
    public async Task FinancingRequest_ConcurrentDuplicates_CreateExactlyOne()
    {
        using var app = NewApp();
        var world = await MatchingWorld.CreateAsync(app);
        var body = ProductData.Request(world.Chain);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => world.SmeClient.SendAsync(Post("/api/v1/financing-requests", body, "burst"))));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var ids = new HashSet<string>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
        {
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        Assert.Single(ids);
        var mine = await (await world.SmeClient.GetAsync("/api/v1/financing-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(mine["items"]!.AsArray());
    }
}

/// <summary>The idempotency scope suite on SQLite.</summary>
public sealed class SqliteIdempotencyScopeTests : IdempotencyScopeSuite<SqliteProvider>;

/// <summary>The idempotency scope suite on SQL Server (<c>FINANCECHAIN_TEST_SQLSERVER</c>).</summary>
public sealed class SqlServerIdempotencyScopeTests : IdempotencyScopeSuite<SqlServerProvider>;

public sealed class IdempotencyClientGoneTests
{
    /// <summary>A response body that fails as a socket does when the client has hung up.</summary>
    private sealed class HungUpStream : MemoryStream
    {
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw new IOException("client gone");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("client gone");
    }

    [Fact]
    public async Task ClientHangsUpAfterTheChange_TheRetryIsReplayedNotRepeated()
    {
        using var app = new FinanceChainApp();
        var filter = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<IdempotencyFilter>(app.Services);
        var store = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IdempotencyStore>(app.Services);
        var runs = 0;

        async Task<(int Status, bool Replayed)> SendAsync(Stream responseBody)
        {
            var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = app.Services };
            http.Request.Method = "POST";
            http.Request.Path = "/api/v1/notes";
            http.Request.Headers[IdempotencyEndpoints.HeaderName] = "pay-1";
            http.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [
                new System.Security.Claims.Claim(FinanceChain.Api.Auth.Caller.KeyIdClaim, "key_test"),
                new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, "enterprise"),
            ], "test"));
            http.Response.Body = responseBody;
            var context = Microsoft.AspNetCore.Http.EndpointFilterInvocationContext.Create(http);
            var result = await filter.InvokeAsync(context, _ =>
            {
                runs++;
                return ValueTask.FromResult<object?>(Microsoft.AspNetCore.Http.TypedResults.Created("/api/v1/notes/nte_1", new { id = "nte_1" }));
            });
            await ((Microsoft.AspNetCore.Http.IResult)result!).ExecuteAsync(http);
            return (http.Response.StatusCode, http.Response.Headers.ContainsKey(IdempotencyEndpoints.ReplayedHeaderName));
        }

        var first = await SendAsync(new HungUpStream());
        var retry = await SendAsync(new MemoryStream());

        Assert.Equal((201, false), first);
        Assert.Equal((201, true), retry);
        Assert.Equal(1, runs);
        Assert.NotNull(store);
    }
}
