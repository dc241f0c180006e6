using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using FinanceChain.Api.Tests.Durability;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace FinanceChain.Api.Tests.Webhooks;

/// <summary>
/// As a bank's integration team would try it: a receiver on this machine, a subscription, an SME's new request, and the
/// signed call that follows within seconds; a receiver that fails once gets the same <c>webhook-id</c> again; and an
/// event committed right before a SIGKILL still arrives after the restart.
/// </summary>
public sealed class WebhookEndToEndTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    /// <summary>The Standard Webhooks check, written from the specification (not the service's code).</summary>
    private static bool SignedWith(string secret, ReceivedWebhook call)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{call.Id}.{call.Timestamp}.{call.Body}")));
        return call.Signature!.Split(' ').Contains(expected);
    }

    [Fact]
    public void SignatureCheck_MatchesTheSpecificationsTestVector()
    {
        // From the Standard Webhooks specification.
        var call = new ReceivedWebhook("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", null, "{\"test\": 2432232314}");
        Assert.True(SignedWith("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", call));
        Assert.False(SignedWith("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSX", call));
    }

    [Fact]
    public async Task NewRequest_ArrivesSignedWithinSeconds_AndAFailedCallIsRetriedWithTheSameWebhookId()
    {
        var settings = new Dictionary<string, string?> { ["Webhooks:AllowPrivateAddresses"] = "true", ["Hangfire:Server"] = "true" };
        using var app = new FinanceChainApp(settings: settings);
        var admin = await app.ClientAsync(Role.Admin);
        var chain = await admin.CreateChainAsync();
        var bankId = await admin.CreateInstitutionAsync();
        var smeId = await admin.CreateEnterpriseAsync(chain);
        var bank = await app.ClientAsync(Role.Bank, institutionId: bankId);
        var sme = await app.ClientAsync(Role.Enterprise, enterpriseId: smeId);
        await bank.CreateProductAsync(ProductData.Product(chainIds: [chain]));
        var subscription = await WebhookWorld.SubscribeAsync(bank, _receiver.Url, "financingRequest.matched");
        var secret = subscription["secret"]!.GetValue<string>();
        _receiver.Status = call => call == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.NoContent;

        var request = await sme.CreateRequestAsync(ProductData.Request(chain));

        // Hangfire delivers it at once after the commit (no sweep needed).
        var first = (await _receiver.WaitForAsync(1, TimeSpan.FromSeconds(20)))[0];
        Assert.True(SignedWith(secret, first));
        var body = JsonNode.Parse(first.Body)!;
        Assert.Equal("financingRequest.matched", body["type"]!.GetValue<string>());
        Assert.Equal(request, body["data"]!["id"]!.GetValue<string>());
        Assert.StartsWith("application/json", first.ContentType, StringComparison.Ordinal);

        // It answered 503: the retry, due 30 s later by the service's clock, carries the same webhook-id. The receiver
        // answers before the dispatcher records the failure, so wait for the record first: until then the delivery is
        // the first attempt's, and nothing is due.
        var recorded = DateTime.UtcNow.AddSeconds(10);
        while (await FirstDeliveryAsync(bank, subscription) is var pending
            && pending["status"]!.GetValue<string>() == "delivering" && DateTime.UtcNow < recorded)
        {
            await Task.Delay(50);
        }

        app.Clock.Advance(Duration.FromMinutes(2));
        await app.Services.GetRequiredService<FinanceChain.Api.Webhooks.WebhookDispatcher>().DeliverDueAsync(CancellationToken.None);
        var calls = await _receiver.WaitForAsync(2, TimeSpan.FromSeconds(20));
        Assert.Equal(first.Id, calls[1].Id);
        Assert.Equal(first.Body, calls[1].Body);
        Assert.True(SignedWith(secret, calls[1]));
        // The outcome is written once the answer is in: poll the log briefly.
        JsonNode delivery;
        var until = DateTime.UtcNow.AddSeconds(10);
        do
        {
            delivery = await FirstDeliveryAsync(bank, subscription);
        }
        while (delivery["status"]!.GetValue<string>() != "delivered" && DateTime.UtcNow < until && await Task.Delay(50).ContinueWith(_ => true));

        Assert.Equal("delivered", delivery["status"]!.GetValue<string>());
        Assert.Equal(2, delivery["attempts"]!.GetValue<int>());
        Assert.Equal(first.Id, delivery["id"]!.GetValue<string>());
    }

    private static async Task<JsonNode> FirstDeliveryAsync(HttpClient bank, JsonNode subscription) =>
        (await (await bank.GetAsync($"/api/v1/webhooks/{subscription["id"]}/deliveries")).ExpectAsync(HttpStatusCode.OK))["items"]![0]!;

    [Fact]
    public async Task SigkillRightAfterTheRequest_TheEventIsDeliveredAfterTheRestart()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        var adminKey = await ServiceProcess.CreateKeyAsync(file, "admin");
        var environment = new Dictionary<string, string> { ["Webhooks__AllowPrivateAddresses"] = "true" };
        var restarted = false;
        // Until the restart the receiver is down (503), so whatever the first process managed to send is not delivered.
        _receiver.Status = _ => Volatile.Read(ref restarted) ? HttpStatusCode.NoContent : HttpStatusCode.ServiceUnavailable;
        string request, secret;
        using (var service = await ServiceProcess.StartAsync(file, environment))
        {
            var admin = service.Client(adminKey);
            var chain = (await (await admin.PostAsJsonAsync("/api/v1/chains", TestData.Chain())).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
            var bankId = (await (await admin.PostAsJsonAsync("/api/v1/institutions", TestData.Institution())).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
            var smeId = (await (await admin.PostAsJsonAsync("/api/v1/enterprises", TestData.Enterprise(chain))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
            var bank = service.Client(await KeyAsync(admin, "bank", institutionId: bankId));
            var sme = service.Client(await KeyAsync(admin, "enterprise", enterpriseId: smeId));
            await bank.CreateProductAsync(ProductData.Product(chainIds: [chain]));
            secret = (await WebhookWorld.SubscribeAsync(bank, _receiver.Url, "financingRequest.matched"))["secret"]!.GetValue<string>();

            request = await sme.CreateRequestAsync(ProductData.Request(chain));
            service.Kill();
        }

        SqliteConnection.ClearAllPools();
        var before = _receiver.Received.Count;
        Volatile.Write(ref restarted, true);
        using var again = await ServiceProcess.StartAsync(file, environment);
        // The sweep runs every minute; a retry scheduled by the first process died with its in-memory job storage.
        var deadline = DateTime.UtcNow.AddSeconds(150);
        ReceivedWebhook? delivered = null;
        while (delivered is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            delivered = _receiver.Received.Skip(before).FirstOrDefault(c => JsonNode.Parse(c.Body)!["data"]!["id"]!.GetValue<string>() == request);
        }

        Assert.NotNull(delivered);
        Assert.True(SignedWith(secret, delivered));
        Assert.Single(_receiver.Received.Select(c => c.Id).Distinct()); // the same webhook-id on every call
        using var db = new SqliteConnection($"Data Source={file}");
        Assert.Equal(1L, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_events WHERE type = 'financingRequest.matched'"));
    }

    private static async Task<string> KeyAsync(HttpClient admin, string role, string? institutionId = null, string? enterpriseId = null) =>
        (await (await admin.PostAsJsonAsync("/api/v1/keys", new { role, name = "integration", institutionId, enterpriseId })).ExpectAsync(HttpStatusCode.Created))["key"]!.GetValue<string>();
}
