using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Webhooks;
using FinanceChain.Domain.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;

namespace FinanceChain.Api.Tests.Webhooks;

/// <summary>
/// Delivery to a real endpoint on 127.0.0.1 (the SSRF guard lifted for it), with the service's clock faked: the
/// dispatcher is called as its Hangfire jobs would call it, and time moves only when a test moves it.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private readonly WebhookWorld _world = new(allowPrivate: true);
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        await _world.InitializeAsync();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _world.DisposeAsync();
    }

    private async Task<(string Id, string Secret)> SubscribeBankAAsync(params string[] events)
    {
        var created = await WebhookWorld.SubscribeAsync(_world.BankA, _receiver.Url, events.Length == 0 ? ["offer.accepted"] : events);
        return (created["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    private static void AssertSigned(ReceivedWebhook call, string secret)
    {
        var timestamp = long.Parse(call.Timestamp!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(WebhookSecret.Parse(secret), call.Id!, timestamp, call.Body, call.Signature));
        // And the specification's own library signs it the same way.
        var reference = new StandardWebhooks.StandardWebhook(secret).Sign(call.Id!, DateTimeOffset.FromUnixTimeSeconds(timestamp), call.Body);
        Assert.Equal(reference, call.Signature);
    }

    [Fact]
    public async Task LocalReceiver_GetsASignedEvent_WithStandardWebhooksHeaders()
    {
        var (id, secret) = await SubscribeBankAAsync();
        var offer = new { id = "ofr_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f", amount = 1250000.5m, rateBps = 385, status = "accepted" };
        var eventId = await _world.RecordAsync(WebhookEventTypes.OfferAccepted, [_world.BankAId], offer);
        Assert.Matches("^evt_[0-9a-f]{32}$", eventId!);

        Assert.Equal(1, await _world.Dispatcher.DeliverEventAsync(eventId!, CancellationToken.None));

        var call = Assert.Single(_receiver.Received);
        Assert.Equal(eventId, call.Id);
        Assert.Equal(_world.App.Clock.GetCurrentInstant().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), call.Timestamp);
        Assert.StartsWith("v1,", call.Signature, StringComparison.Ordinal);
        Assert.Equal("application/json; charset=utf-8", call.ContentType);
        AssertSigned(call, secret);

        var body = JsonNode.Parse(call.Body)!;
        Assert.Equal("offer.accepted", body["type"]!.GetValue<string>());
        Assert.Equal(InstantPattern.ExtendedIso.Format(FinanceChainApp.DefaultNow), body["timestamp"]!.GetValue<string>());
        Assert.Equal(1250000.5m, body["data"]!["amount"]!.GetValue<decimal>());
        Assert.Equal("accepted", body["data"]!["status"]!.GetValue<string>());

        var delivery = await _world.DeliveryAsync(_world.BankA, id, eventId!);
        Assert.Equal("delivered", delivery["status"]!.GetValue<string>());
        Assert.Equal(1, delivery["attempts"]!.GetValue<int>());
        Assert.Equal(204, delivery["lastResponseCode"]!.GetValue<int>());
        Assert.Null(delivery["nextAttemptAt"]);
        Assert.Equal("offer.accepted", delivery["type"]!.GetValue<string>());

        // Delivered once: nothing is due any more.
        Assert.Equal(0, await _world.Dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Single(_receiver.Received);
    }

    [Fact]
    public async Task Event_GoesOnlyToItsRecipientsSubscriptionsOfItsType()
    {
        var (bankA, _) = await SubscribeBankAAsync("offer.accepted");
        var bankAOther = (await WebhookWorld.SubscribeAsync(_world.BankA, _receiver.Url, "offer.declined"))["id"]!.GetValue<string>();
        var bankB = (await WebhookWorld.SubscribeAsync(_world.BankB, _receiver.Url, "offer.accepted"))["id"]!.GetValue<string>();
        var enterprise = (await WebhookWorld.SubscribeAsync(_world.EnterpriseA, _receiver.Url, "offer.created"))["id"]!.GetValue<string>();

        var eventId = await _world.RecordAsync("offer.accepted", [_world.BankAId, _world.BankAId, _world.EnterpriseAId], new { id = "ofr_1" });
        Assert.Null(await _world.RecordAsync("note.dueSoon", [_world.BankAId, _world.BankBId], new { id = "nte_1" }));

        Assert.Single((await _world.DeliveriesAsync(_world.BankA, bankA))["items"]!.AsArray());
        Assert.Empty((await _world.DeliveriesAsync(_world.BankA, bankAOther))["items"]!.AsArray());
        Assert.Empty((await _world.DeliveriesAsync(_world.BankB, bankB))["items"]!.AsArray());
        Assert.Empty((await _world.DeliveriesAsync(_world.EnterpriseA, enterprise))["items"]!.AsArray());
        Assert.Equal(1, await _world.Dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(eventId, Assert.Single(_receiver.Received).Id);
    }

    [Fact]
    public async Task RolledBackChange_RecordsNothing_AndNothingIsSent()
    {
        await SubscribeBankAAsync();
        await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" }, commit: false);

        Assert.Equal(0, await _world.CountAsync("webhook_events"));
        Assert.Equal(0, await _world.CountAsync("webhook_deliveries"));
        Assert.Equal(0, await _world.Dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task ReceiverFailingOnce_GetsTheSameWebhookIdAgain_WithinAMinute()
    {
        var (id, secret) = await SubscribeBankAAsync();
        _receiver.Status = call => call == 1 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK;
        var eventId = await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });

        Assert.Equal(0, await _world.Dispatcher.DeliverEventAsync(eventId!, CancellationToken.None));
        var failed = await _world.DeliveryAsync(_world.BankA, id, eventId!);
        Assert.Equal("pending", failed["status"]!.GetValue<string>());
        Assert.Equal(500, failed["lastResponseCode"]!.GetValue<int>());
        Assert.Equal("httpStatus", failed["lastError"]!.GetValue<string>());
        var next = InstantPattern.ExtendedIso.Parse(failed["nextAttemptAt"]!.GetValue<string>()).Value;
        Assert.InRange(next - _world.App.Clock.GetCurrentInstant(), Duration.FromSeconds(30), Duration.FromSeconds(60));

        // Not due yet; due once the clock reaches the retry.
        Assert.Equal(0, await _world.Dispatcher.DeliverDueAsync(CancellationToken.None));
        _world.App.Clock.Reset(next);
        Assert.Equal(1, await _world.Dispatcher.DeliverDueAsync(CancellationToken.None));

        var calls = _receiver.Received.ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal(eventId, c.Id));
        Assert.Equal(calls[0].Body, calls[1].Body);
        Assert.NotEqual(calls[0].Timestamp, calls[1].Timestamp);
        Assert.All(calls, c => AssertSigned(c, secret));
        var delivered = await _world.DeliveryAsync(_world.BankA, id, eventId!);
        Assert.Equal("delivered", delivered["status"]!.GetValue<string>());
        Assert.Equal(2, delivered["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task ReceiverAlwaysFailing_IsRetriedWithGrowingWaitsForTwentyFourHours_ThenGivenUp()
    {
        var (id, _) = await SubscribeBankAAsync();
        _receiver.Status = _ => HttpStatusCode.ServiceUnavailable;
        var eventId = await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });
        var start = _world.App.Clock.GetCurrentInstant();

        var attemptsAt = new List<Instant>();
        JsonNode delivery;
        while (true)
        {
            attemptsAt.Add(_world.App.Clock.GetCurrentInstant());
            Assert.Equal(0, await _world.Dispatcher.DeliverDueAsync(CancellationToken.None));
            delivery = await _world.DeliveryAsync(_world.BankA, id, eventId!);
            if (delivery["nextAttemptAt"] is not { } next)
            {
                break;
            }

            _world.App.Clock.Reset(InstantPattern.ExtendedIso.Parse(next.GetValue<string>()).Value);
        }

        Assert.Equal("failed", delivery["status"]!.GetValue<string>());
        Assert.Equal(13, delivery["attempts"]!.GetValue<int>());
        Assert.Equal(13, _receiver.Received.Count);
        Assert.All(_receiver.Received, c => Assert.Equal(eventId, c.Id));
        Assert.Equal(start + Duration.FromHours(24), attemptsAt[^1]);
        var waits = attemptsAt.Zip(attemptsAt.Skip(1), (a, b) => b - a).ToList();
        Assert.InRange(waits[0], Duration.FromSeconds(30), Duration.FromSeconds(33));
        for (var i = 1; i < waits.Count - 1; i++)
        {
            Assert.True(waits[i] > waits[i - 1] || waits[i] >= WebhookRetrySchedule.MaxDelay, $"wait {i} ({waits[i]}) does not grow after {waits[i - 1]}");
        }

        // Failing for a day is not yet three: the subscription is still active.
        var subscription = await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("active", subscription["status"]!.GetValue<string>());
        Assert.Equal(InstantPattern.ExtendedIso.Format(start), subscription["failingSince"]!.GetValue<string>());
    }

    [Fact]
    public async Task EndpointFailingForThreeDays_IsDisabled()
    {
        var (id, _) = await SubscribeBankAAsync();
        _receiver.Status = _ => HttpStatusCode.BadGateway;
        var start = _world.App.Clock.GetCurrentInstant();

        // A new event each day, each failing; at 2 days 23 hours it is still active.
        foreach (var at in new[] { Duration.Zero, Duration.FromDays(1), Duration.FromDays(2), Duration.FromDays(3) - Duration.FromHours(1) })
        {
            _world.App.Clock.Reset(start + at);
            await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });
            await _world.Dispatcher.DeliverDueAsync(CancellationToken.None);
        }

        var stillActive = await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("active", stillActive["status"]!.GetValue<string>());

        _world.App.Clock.Reset(start + Duration.FromDays(3));
        var last = await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });
        await _world.Dispatcher.DeliverDueAsync(CancellationToken.None);

        var disabled = await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("disabled", disabled["status"]!.GetValue<string>());
        Assert.Equal(InstantPattern.ExtendedIso.Format(start + Duration.FromDays(3)), disabled["disabledAt"]!.GetValue<string>());
        var deliveries = (await _world.DeliveriesAsync(_world.BankA, id))["items"]!.AsArray();
        Assert.All(deliveries, d => Assert.Equal("failed", d!["status"]!.GetValue<string>()));

        // Nothing more is recorded or sent for it.
        var calls = _receiver.Received.Count;
        Assert.Null(await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_2" }));
        _world.App.Clock.Advance(Duration.FromHours(1));
        Assert.Equal(0, await _world.Dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(calls, _receiver.Received.Count);

        // A retry by hand gives the endpoint another chance: the subscription is active again.
        _receiver.Status = _ => HttpStatusCode.OK;
        var retried = await (await _world.BankA.PostAsync($"/api/v1/webhooks/{id}/deliveries/{last}/retry", null)).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal("pending", retried["status"]!.GetValue<string>());
        Assert.Equal(1, await _world.Dispatcher.DeliverDueAsync(CancellationToken.None));
        var enabled = await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("active", enabled["status"]!.GetValue<string>());
        Assert.Null(enabled["failingSince"]);
        Assert.Equal(last, _receiver.Received.Last().Id);
    }

    [Fact]
    public async Task ASuccessInBetween_StartsTheThreeDaysAgain()
    {
        var (id, _) = await SubscribeBankAAsync();
        var start = _world.App.Clock.GetCurrentInstant();
        _receiver.Status = _ => HttpStatusCode.InternalServerError;
        await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });
        await _world.Dispatcher.DeliverDueAsync(CancellationToken.None);

        _world.App.Clock.Reset(start + Duration.FromDays(2));
        _receiver.Status = _ => HttpStatusCode.OK;
        await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_2" });
        await _world.Dispatcher.DeliverDueAsync(CancellationToken.None);

        _world.App.Clock.Reset(start + Duration.FromDays(3.5));
        _receiver.Status = _ => HttpStatusCode.InternalServerError;
        await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_3" });
        await _world.Dispatcher.DeliverDueAsync(CancellationToken.None);

        var subscription = await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("active", subscription["status"]!.GetValue<string>());
        Assert.Equal(InstantPattern.ExtendedIso.Format(start + Duration.FromDays(3.5)), subscription["failingSince"]!.GetValue<string>());
    }

    [Fact]
    public async Task Gone_DisablesAtOnce()
    {
        var (id, _) = await SubscribeBankAAsync();
        _receiver.Status = _ => HttpStatusCode.Gone;
        await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });
        await _world.Dispatcher.DeliverDueAsync(CancellationToken.None);

        var subscription = await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("disabled", subscription["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ManualRetry_OfAGivenUpDelivery_SendsItAgainWithTheSameId()
    {
        var (id, _) = await SubscribeBankAAsync();
        _receiver.Status = _ => HttpStatusCode.InternalServerError;
        var eventId = await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });
        for (var i = 0; i < 13; i++)
        {
            await _world.Dispatcher.DeliverDueAsync(CancellationToken.None);
            _world.App.Clock.Advance(Duration.FromHours(8.9));
        }

        var givenUp = await _world.DeliveryAsync(_world.BankA, id, eventId!);
        Assert.Equal("failed", givenUp["status"]!.GetValue<string>());
        var attempts = givenUp["attempts"]!.GetValue<int>();
        var failedList = await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}/deliveries?status=failed")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(failedList["items"]!.AsArray());

        _receiver.Status = _ => HttpStatusCode.OK;
        var retried = await (await _world.BankA.PostAsync($"/api/v1/webhooks/{id}/deliveries/{eventId}/retry", null)).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal("pending", retried["status"]!.GetValue<string>());
        Assert.Equal(InstantPattern.ExtendedIso.Format(_world.App.Clock.GetCurrentInstant()), retried["nextAttemptAt"]!.GetValue<string>());

        Assert.Equal(1, await _world.Dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(eventId, _receiver.Received.Last().Id);
        var delivered = await _world.DeliveryAsync(_world.BankA, id, eventId!);
        Assert.Equal("delivered", delivered["status"]!.GetValue<string>());
        Assert.Equal(attempts + 1, delivered["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task UnreadableSecret_FailsTheAttempt_WithoutSending()
    {
        var (id, _) = await SubscribeBankAAsync();
        var eventId = await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });
        var db = _world.App.Services.GetRequiredService<Db>();
        await db.InTransactionAsync((c, t) => c.ExecuteAsync("UPDATE webhook_subscriptions SET secret = 'CfDJ8notaprotectedpayload' WHERE id = @Id", new { Id = id }, t));

        var outcome = await _world.Dispatcher.AttemptAsync(id, eventId!, CancellationToken.None);

        Assert.Equal(new WebhookAttemptOutcome(false, null, WebhookDeliveryError.SecretUnreadable), outcome);
        Assert.Empty(_receiver.Received);
        var delivery = await _world.DeliveryAsync(_world.BankA, id, eventId!);
        Assert.Equal("secretUnreadable", delivery["lastError"]!.GetValue<string>());
        Assert.Equal("pending", delivery["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deliveries_AreListedNewestFirst_AndPaged()
    {
        var (id, _) = await SubscribeBankAAsync();
        var events = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            events.Add((await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = $"ofr_{i}" }))!);
        }

        var first = await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}/deliveries?limit=3")).ExpectAsync(HttpStatusCode.OK);
        var second = await (await _world.BankA.GetAsync($"/api/v1/webhooks/{id}/deliveries?limit=3&cursor={first["next"]!.GetValue<string>()}")).ExpectAsync(HttpStatusCode.OK);
        var ids = first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(d => d!["id"]!.GetValue<string>()).ToList();
        // Newest first by event id (ids are time-ordered to the millisecond).
        Assert.Equal(events.OrderDescending(StringComparer.Ordinal), ids);
        Assert.Null(second["next"]);
    }
}

/// <summary>The timeout, on a receiver that answers too late.</summary>
public sealed class WebhookTimeoutTests : IAsyncLifetime
{
    private readonly WebhookWorld _world = new(allowPrivate: true, settings: new Dictionary<string, string?> { ["Webhooks:TimeoutSeconds"] = "1" });
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        await _world.InitializeAsync();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task SlowReceiver_TimesOut_AndIsRetried()
    {
        var id = (await WebhookWorld.SubscribeAsync(_world.BankA, _receiver.Url, "offer.accepted"))["id"]!.GetValue<string>();
        _receiver.Delay = TimeSpan.FromSeconds(5);
        var eventId = await _world.RecordAsync("offer.accepted", [_world.BankAId], new { id = "ofr_1" });

        var outcome = await _world.Dispatcher.AttemptAsync(id, eventId!, CancellationToken.None);

        Assert.Equal(new WebhookAttemptOutcome(false, null, WebhookDeliveryError.Timeout), outcome);
        var delivery = await _world.DeliveryAsync(_world.BankA, id, eventId!);
        Assert.Equal("timeout", delivery["lastError"]!.GetValue<string>());
        Assert.Equal("pending", delivery["status"]!.GetValue<string>());
    }
}
