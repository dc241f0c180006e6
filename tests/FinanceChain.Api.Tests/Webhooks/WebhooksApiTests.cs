using System.Net;
using System.Net.Http.Json;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Api.Tests.Webhooks;

public sealed class WebhooksApiTests : IAsyncLifetime
{
    private readonly WebhookWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Create_ReturnsTheSecretOnce_StoredOnlyProtected()
    {
        var response = await _world.BankA.PostAsJsonAsync("/api/v1/webhooks", new { url = WebhookWorld.PublicUrl, events = new[] { "offer.accepted", "financingRequest.matched", "offer.accepted" } });
        var created = await response.ExpectAsync(HttpStatusCode.Created);

        var id = created["id"]!.GetValue<string>();
        var secret = created["secret"]!.GetValue<string>();
        Assert.Matches("^whk_[0-9a-f]{32}$", id);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Equal(WebhookWorld.PublicUrl, created["url"]!.GetValue<string>());
        Assert.Equal(["financingRequest.matched", "offer.accepted"], created["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(_world.BankAId, created["institutionId"]!.GetValue<string>());
        Assert.Equal($"/api/v1/webhooks/{id}", response.Headers.Location!.ToString());

        // Never shown again, and not in the database in plain.
        var read = await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(read["secret"]);
        var list = await (await _world.BankA.GetAsync("/api/v1/webhooks")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(secret, list.ToJsonString(), StringComparison.Ordinal);
        var stored = (await _world.App.Services.GetRequiredService<Db>().QueryAsync<string>("SELECT secret FROM webhook_subscriptions WHERE id = @Id", new { Id = id })).Single();
        Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);
        Assert.NotEqual(secret, stored);
        Assert.DoesNotContain(secret, await AllAuditDetailsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enterprise_CreatesItsOwn()
    {
        var created = await WebhookWorld.SubscribeAsync(_world.EnterpriseA, WebhookWorld.PublicUrl, "offer.created", "note.received");
        Assert.Equal(_world.EnterpriseAId, created["enterpriseId"]!.GetValue<string>());
        Assert.Null(created["institutionId"]);
    }

    [Fact]
    public async Task List_ShowsOnlyTheCallersOwn_AdminAndRegulatorSeeAll()
    {
        var a = (await WebhookWorld.SubscribeAsync(_world.BankA, WebhookWorld.PublicUrl, "offer.accepted"))["id"]!.GetValue<string>();
        var b = (await WebhookWorld.SubscribeAsync(_world.BankB, WebhookWorld.PublicUrl, "offer.accepted"))["id"]!.GetValue<string>();
        var e = (await WebhookWorld.SubscribeAsync(_world.EnterpriseA, WebhookWorld.PublicUrl, "offer.created"))["id"]!.GetValue<string>();

        async Task<string[]> IdsAsync(HttpClient client) =>
            (await (await client.GetAsync("/api/v1/webhooks")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();

        Assert.Equal([a], await IdsAsync(_world.BankA));
        Assert.Equal([b], await IdsAsync(_world.BankB));
        Assert.Equal([e], await IdsAsync(_world.EnterpriseA));
        Assert.Empty(await IdsAsync(_world.EnterpriseB));
        Assert.Equal(new[] { a, b, e }.Order(StringComparer.Ordinal), await IdsAsync(_world.Regulator));
        Assert.Equal(new[] { a, b, e }.Order(StringComparer.Ordinal), await IdsAsync(_world.Admin));
    }

    [Fact]
    public async Task AnotherTenantsSubscriptionAndDeliveries_Are404_AndUnchanged()
    {
        var id = (await WebhookWorld.SubscribeAsync(_world.BankA, WebhookWorld.PublicUrl, "offer.accepted"))["id"]!.GetValue<string>();
        var eventId = await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });

        foreach (var stranger in new[] { _world.BankB, _world.EnterpriseA })
        {
            await (await stranger.GetAsync($"/api/v1/webhooks/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await stranger.GetAsync($"/api/v1/webhooks/{id}/deliveries")).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await stranger.PostAsync($"/api/v1/webhooks/{id}/deliveries/{eventId}/retry", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
            var deleted = await (await stranger.DeleteAsync($"/api/v1/webhooks/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal("webhookNotFound", deleted["code"]!.GetValue<string>());
        }

        await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}")).ExpectAsync(HttpStatusCode.OK);
        var delivery = await _world.DeliveryAsync(_world.BankA, id, eventId!);
        Assert.Equal("pending", delivery["status"]!.GetValue<string>());
        Assert.Equal(0, delivery["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task AdminAndRegulator_ReadButMayNotWrite()
    {
        var id = (await WebhookWorld.SubscribeAsync(_world.BankA, WebhookWorld.PublicUrl, "offer.accepted"))["id"]!.GetValue<string>();
        var eventId = await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });

        foreach (var overseer in new[] { _world.Admin, _world.Regulator })
        {
            await (await overseer.GetAsync($"/api/v1/webhooks/{id}")).ExpectAsync(HttpStatusCode.OK);
            await (await overseer.GetAsync($"/api/v1/webhooks/{id}/deliveries")).ExpectAsync(HttpStatusCode.OK);
            await (await overseer.PostAsJsonAsync("/api/v1/webhooks", new { url = WebhookWorld.PublicUrl, events = new[] { "offer.accepted" } })).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await overseer.DeleteAsync($"/api/v1/webhooks/{id}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await overseer.PostAsync($"/api/v1/webhooks/{id}/deliveries/{eventId}/retry", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        Assert.Equal(1, await _world.CountAsync("webhook_subscriptions"));
    }

    [Fact]
    public async Task NoKey_Is401()
    {
        var anonymous = _world.App.ClientWithKey(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/webhooks")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/webhooks", new { url = WebhookWorld.PublicUrl, events = new[] { "offer.accepted" } })).StatusCode);
    }

    [Theory]
    [InlineData("""{"url":"https://hooks.bank-a.example/x","events":["Offer.Accepted"]}""", "events", "webhookEventUnknown")]
    [InlineData("""{"url":"https://hooks.bank-a.example/x","events":["offer.*"]}""", "events", "webhookEventUnknown")]
    [InlineData("""{"url":"https://hooks.bank-a.example/x","events":["offer.accepted "]}""", "events", "webhookEventUnknown")]
    [InlineData("""{"url":"https://hooks.bank-a.example/x","events":[]}""", "events", "webhookEventsRequired")]
    [InlineData("""{"url":"ftp://hooks.bank-a.example/x","events":["offer.accepted"]}""", "url", "webhookUrlInvalid")]
    [InlineData("""{"url":"hooks.bank-a.example/x","events":["offer.accepted"]}""", "url", "webhookUrlInvalid")]
    [InlineData("""{"url":"","events":["offer.accepted"]}""", "url", "webhookUrlInvalid")]
    [InlineData("""{"url":"http://hooks.bank-a.example/x","events":["offer.accepted"]}""", "url", "webhookUrlNotHttps")]
    [InlineData("""{"url":"https://user:pw@hooks.bank-a.example/x","events":["offer.accepted"]}""", "url", "webhookUrlHasCredentials")]
    [InlineData("""{"url":"https://nowhere.example/x","events":["offer.accepted"]}""", "url", "webhookUrlUnresolvable")]
    public async Task Create_BadInput_Is400_AndStoresNothing(string json, string field, string code)
    {
        var response = await _world.BankA.PostRawAsync("/api/v1/webhooks", json);
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(code, problem["errorCodes"]![field]![0]!.GetValue<string>());
        Assert.Equal(0, await _world.CountAsync("webhook_subscriptions"));
        Assert.Equal(0, await _world.CountAsync("webhook_subscription_events"));
    }

    [Fact]
    public async Task Create_MissingFieldsOrTooLongUrl_Is400()
    {
        await (await _world.BankA.PostRawAsync("/api/v1/webhooks", """{"events":["offer.accepted"]}""")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await _world.BankA.PostRawAsync("/api/v1/webhooks", """{"url":"https://hooks.bank-a.example/x"}""")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var longUrl = WebhookWorld.PublicUrl + "/" + new string('a', 2000);
        await (await _world.BankA.PostAsJsonAsync("/api/v1/webhooks", new { url = longUrl, events = new[] { "offer.accepted" } })).ExpectValidationErrorAsync("url");
        Assert.Equal(0, await _world.CountAsync("webhook_subscriptions"));
    }

    [Fact]
    public async Task Error_TextsFollowAcceptLanguage()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks") { Content = JsonContent.Create(new { url = WebhookWorld.PublicUrl, events = new[] { "offer.cancelled" } }) };
        request.Headers.AcceptLanguage.ParseAdd("en");
        var english = await (await _world.BankA.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("'offer.cancelled' is not an event type; use one of financingRequest.matched, offer.created", english["errors"]!["events"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var chinese = await (await _world.BankA.PostAsJsonAsync("/api/v1/webhooks", new { url = WebhookWorld.PublicUrl, events = new[] { "offer.cancelled" } })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("不是可订阅的事件", chinese["errors"]!["events"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_StopsDeliveries_AndThen404()
    {
        var id = (await WebhookWorld.SubscribeAsync(_world.BankA, WebhookWorld.PublicUrl, "offer.accepted"))["id"]!.GetValue<string>();
        await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });

        Assert.Equal(HttpStatusCode.NoContent, (await _world.BankA.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);

        await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _world.BankA.DeleteAsync($"/api/v1/webhooks/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await _world.BankA.GetAsync("/api/v1/webhooks")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray());
        // Its pending delivery is cancelled and a new event is recorded for nobody.
        Assert.Equal(0, await _world.Dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Null(await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_2" }));
    }

    [Fact]
    public async Task Create_SameIdempotencyKey_ReplaysTheSameSubscriptionAndSecret()
    {
        async Task<HttpResponseMessage> PostAsync(string key, string url)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks") { Content = JsonContent.Create(new { url, events = new[] { "offer.accepted" } }) };
            request.Headers.Add("Idempotency-Key", key);
            return await _world.BankA.SendAsync(request);
        }

        var first = await (await PostAsync("sub-1", WebhookWorld.PublicUrl)).ExpectAsync(HttpStatusCode.Created);
        var again = await PostAsync("sub-1", WebhookWorld.PublicUrl);
        var replay = await again.ExpectAsync(HttpStatusCode.Created);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(first["id"]!.GetValue<string>(), replay["id"]!.GetValue<string>());
        Assert.Equal(first["secret"]!.GetValue<string>(), replay["secret"]!.GetValue<string>());
        Assert.Equal(1, await _world.CountAsync("webhook_subscriptions"));

        var other = await (await PostAsync("sub-1", WebhookWorld.PublicUrl + "/other")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("webhookIdempotencyKeyReused", other["code"]!.GetValue<string>());
        await (await PostAsync(new string('k', 101), WebhookWorld.PublicUrl)).ExpectValidationErrorAsync("idempotency-key");
        Assert.Equal(1, await _world.CountAsync("webhook_subscriptions"));
    }

    [Fact]
    public async Task Create_BeyondTheLimit_Is409()
    {
        for (var i = 0; i < Api.Webhooks.WebhookStore.MaxSubscriptionsPerTenant; i++)
        {
            await WebhookWorld.SubscribeAsync(_world.BankA, WebhookWorld.PublicUrl + "/" + i, "offer.accepted");
        }

        var problem = await (await _world.BankA.PostAsJsonAsync("/api/v1/webhooks", new { url = WebhookWorld.PublicUrl, events = new[] { "offer.accepted" } })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("webhookLimitReached", problem["code"]!.GetValue<string>());
        // Another bank is not affected.
        await WebhookWorld.SubscribeAsync(_world.BankB, WebhookWorld.PublicUrl, "offer.accepted");
    }

    [Fact]
    public async Task Deliveries_UnknownStatusFilter_Is400()
    {
        var id = (await WebhookWorld.SubscribeAsync(_world.BankA, WebhookWorld.PublicUrl, "offer.accepted"))["id"]!.GetValue<string>();
        await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}/deliveries?status=Pending")).ExpectValidationErrorAsync("status");
        await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}/deliveries?status=pending")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Retry_UnknownDelivery_Is404()
    {
        var id = (await WebhookWorld.SubscribeAsync(_world.BankA, WebhookWorld.PublicUrl, "offer.accepted"))["id"]!.GetValue<string>();
        var problem = await (await _world.BankA.PostAsync($"/api/v1/webhooks/{id}/deliveries/{TestData.UnknownId("evt")}/retry", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("webhookDeliveryNotFound", problem["code"]!.GetValue<string>());
    }

    private async Task<string> AllAuditDetailsAsync()
    {
        await using var connection = await _world.App.Services.GetRequiredService<Db>().OpenAsync();
        return string.Join("\n", await connection.QueryAsync<string>("SELECT details FROM audit_log"));
    }
}
