using System.Net;
using System.Net.Http.Json;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Webhooks;
using Microsoft.Extensions.Options;

namespace FinanceChain.Api.Tests.Webhooks;

/// <summary>
/// The SSRF guard refuses before any connection is made: these tests never reach 10/8 or 169.254.169.254, and names
/// resolve through a fake resolver.
/// </summary>
public sealed class WebhookSsrfTests : IAsyncLifetime
{
    private readonly WebhookWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Theory]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://127.1.2.3:8443/hooks")]
    [InlineData("https://2130706433/hooks")]          // 127.0.0.1 written as one number
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://10.0.0.5/hooks")]
    [InlineData("https://10.255.0.1/hooks")]
    [InlineData("https://172.16.4.4/hooks")]
    [InlineData("https://192.168.1.10/hooks")]
    [InlineData("https://100.64.0.1/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://0.0.0.0/hooks")]
    [InlineData("https://224.0.0.1/hooks")]
    [InlineData("https://[fd00::1]/hooks")]
    [InlineData("https://[fe80::1]/hooks")]
    [InlineData("https://[::ffff:10.0.0.1]/hooks")]
    [InlineData("https://[::ffff:169.254.169.254]/hooks")]
    public async Task Subscribe_NonPublicAddress_Is400(string url)
    {
        var problem = await (await _world.BankA.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "offer.accepted" } })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("webhookUrlNotPublic", problem["errorCodes"]!["url"]![0]!.GetValue<string>());
        Assert.Equal(0, await _world.CountAsync("webhook_subscriptions"));
    }

    [Theory]
    [InlineData("intranet.bank-a.example", "10.1.2.3")]
    [InlineData("metadata.bank-a.example", "169.254.169.254")]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("mixed.bank-a.example", "8.8.8.8", "192.168.0.7")] // one private answer is enough to refuse
    public async Task Subscribe_NameResolvingToAPrivateAddress_Is400(string host, params string[] addresses)
    {
        _world.Dns.Answer(host, addresses);
        var problem = await (await _world.BankA.PostAsJsonAsync("/api/v1/webhooks", new { url = $"https://{host}/hooks", events = new[] { "offer.accepted" } })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("webhookUrlNotPublic", problem["errorCodes"]!["url"]![0]!.GetValue<string>());
        Assert.Equal(1, _world.Dns.Calls(host));
        Assert.Equal(0, await _world.CountAsync("webhook_subscriptions"));
    }

    [Fact]
    public async Task Subscribe_PlainHttp_Is400_EvenToAPublicAddress()
    {
        var problem = await (await _world.BankA.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://" + WebhookWorld.PublicHost + "/x", events = new[] { "offer.accepted" } })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("webhookUrlNotHttps", problem["errorCodes"]!["url"]![0]!.GetValue<string>());
    }

    /// <summary>
    /// DNS rebinding: the name resolved to a public address when the bank subscribed and to an internal one when the
    /// event is delivered. The connect callback resolves again and refuses: no connection, the attempt fails as
    /// <c>addressRefused</c> and is retried later like any failure.
    /// </summary>
    [Fact]
    public async Task Deliver_NameNowResolvingToAPrivateAddress_IsRefusedWithoutConnecting()
    {
        const string host = "rebind.bank-a.example";
        _world.Dns.Answer(host, call => call == 1 ? ["8.8.8.8"] : ["10.0.0.1", "169.254.169.254"]);
        var id = (await WebhookWorld.SubscribeAsync(_world.BankA, $"https://{host}/hooks", "offer.accepted"))["id"]!.GetValue<string>();
        var eventId = await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });

        var outcome = await _world.Dispatcher.AttemptAsync(id, eventId!, CancellationToken.None);

        Assert.Equal(new WebhookAttemptOutcome(false, null, WebhookDeliveryError.AddressRefused), outcome);
        Assert.Equal(2, _world.Dns.Calls(host));
        var delivery = await _world.DeliveryAsync(_world.BankA, id, eventId!);
        Assert.Equal("pending", delivery["status"]!.GetValue<string>());
        Assert.Equal("addressRefused", delivery["lastError"]!.GetValue<string>());
        Assert.Null(delivery["lastResponseCode"]);
    }

    [Fact]
    public async Task ConnectCallback_LiteralPrivateAddress_IsRefused()
    {
        var guard = new WebhookAddressGuard(_world.Dns, Options.Create(new WebhookOptions()));
        foreach (var host in new[] { "10.0.0.1", "169.254.169.254", "127.0.0.1", "[::1]" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{host}/");
            var context = (SocketsHttpConnectionContext)Activator.CreateInstance(
                typeof(SocketsHttpConnectionContext), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance, null,
                [new DnsEndPoint(host, 443), request], null)!;
            await Assert.ThrowsAsync<WebhookAddressRefusedException>(async () => await guard.ConnectAsync(context, CancellationToken.None));
        }
    }
}

/// <summary><c>Webhooks:AllowPrivateAddresses=true</c> lifts both rules, for tests and closed networks.</summary>
public sealed class WebhookAllowPrivateTests : IAsyncLifetime
{
    private readonly WebhookWorld _world = new(allowPrivate: true);

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Theory]
    [InlineData("http://127.0.0.1:5099/hooks")]
    [InlineData("https://10.0.0.5/hooks")]
    [InlineData("http://intranet/hooks")]
    public async Task Subscribe_PrivateOrPlainHttp_IsAccepted(string url)
    {
        await WebhookWorld.SubscribeAsync(_world.BankA, url, "offer.accepted");
    }

    [Fact]
    public async Task Subscribe_OtherSchemesAndCredentials_StillRefused()
    {
        await (await _world.BankA.PostAsJsonAsync("/api/v1/webhooks", new { url = "file:///etc/passwd", events = new[] { "offer.accepted" } })).ExpectValidationErrorAsync("url");
        await (await _world.BankA.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://u:p@127.0.0.1/x", events = new[] { "offer.accepted" } })).ExpectValidationErrorAsync("url");
    }
}
