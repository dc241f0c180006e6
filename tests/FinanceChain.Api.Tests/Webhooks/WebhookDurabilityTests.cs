using System.Net;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Webhooks;
using FinanceChain.Domain.Webhooks;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace FinanceChain.Api.Tests.Webhooks;

/// <summary>Several service instances on one database file, and a restart, as several processes would share it.</summary>
public sealed class WebhookDurabilityTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    /// <summary>
    /// An event committed just before the service stopped (no delivery attempted) is delivered by the next instance on
    /// the same database: the outbox row survives, and the key ring in the database still opens the protected secret.
    /// </summary>
    [Fact]
    public async Task EventCommittedBeforeAStop_IsDeliveredAfterTheRestart()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        string subscriptionId, secret, eventId, bankId;
        var first = new WebhookWorld(allowPrivate: true, databaseFile: file);
        await first.InitializeAsync();
        try
        {
            var created = await WebhookWorld.SubscribeAsync(first.BankA, _receiver.Url, "offer.accepted");
            (subscriptionId, secret, bankId) = (created["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>(), first.BankAId);
            eventId = (await first.RecordAsync("offer.accepted", [bankId], new { id = "ofr_1" }))!;
        }
        finally
        {
            await first.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Assert.Empty(_receiver.Received);
        var restarted = new WebhookWorld(allowPrivate: true, databaseFile: file);
        await restarted.InitializeAsync();
        try
        {
            Assert.Equal(1, await restarted.Dispatcher.DeliverDueAsync(CancellationToken.None));
            var call = Assert.Single(_receiver.Received);
            Assert.Equal(eventId, call.Id);
            Assert.True(WebhookSignature.Verify(WebhookSecret.Parse(secret), call.Id!, long.Parse(call.Timestamp!, System.Globalization.CultureInfo.InvariantCulture), call.Body, call.Signature));
            Assert.Equal("delivered", (await restarted.DeliveryAsync(restarted.Admin, subscriptionId, eventId))["status"]!.GetValue<string>());
        }
        finally
        {
            await restarted.DisposeAsync();
        }
    }

    /// <summary>An attempt cut short by a crash (claimed, never finished) is made again once its claim lapses.</summary>
    [Fact]
    public async Task AttemptOfADeadProcess_IsMadeAgainAfterItsClaimLapses()
    {
        await using var world = await StartedWorld.StartAsync(new WebhookWorld(allowPrivate: true));
        var w = world.World;
        var subscriptionId = (await WebhookWorld.SubscribeAsync(w.BankA, _receiver.Url, "offer.accepted"))["id"]!.GetValue<string>();
        var eventId = (await w.RecordAsync("offer.accepted", [w.BankAId], new { id = "ofr_1" }))!;
        var db = w.App.Services.GetRequiredService<Db>();
        var now = w.App.Clock.GetCurrentInstant();
        // What a claim leaves behind when its process dies before the answer.
        await db.InTransactionAsync((c, t) => c.ExecuteAsync(WebhookDispatcher.ClaimSql, new
        {
            SubscriptionId = subscriptionId,
            EventId = eventId,
            Token = "dead",
            Now = now,
            ClaimUntil = now + Duration.FromSeconds(60),
        }, t));

        Assert.Equal(0, await w.Dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal("delivering", (await w.DeliveryAsync(w.BankA, subscriptionId, eventId))["status"]!.GetValue<string>());

        w.App.Clock.Advance(Duration.FromSeconds(61));
        Assert.Equal(1, await w.Dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(eventId, Assert.Single(_receiver.Received).Id);
        var delivery = await w.DeliveryAsync(w.BankA, subscriptionId, eventId);
        Assert.Equal("delivered", delivery["status"]!.GetValue<string>());
        Assert.Equal(2, delivery["attempts"]!.GetValue<int>());
    }

    /// <summary>Two instances sweeping the same deliveries at once: each event reaches the endpoint exactly once.</summary>
    [Fact]
    public async Task TwoInstancesSweepingAtOnce_NeverMakeTheSameAttemptTwice()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        await using var one = await StartedWorld.StartAsync(new WebhookWorld(allowPrivate: true, databaseFile: file));
        var w = one.World;
        await WebhookWorld.SubscribeAsync(w.BankA, _receiver.Url, "offer.accepted");
        var events = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            events.Add((await w.RecordAsync("offer.accepted", [w.BankAId], new { id = $"ofr_{i}" }))!);
        }

        await using var two = await StartedWorld.StartAsync(new WebhookWorld(allowPrivate: true, databaseFile: file));
        _receiver.Delay = TimeSpan.FromMilliseconds(200);

        var sweeps = await Task.WhenAll(
            w.Dispatcher.DeliverDueAsync(CancellationToken.None),
            two.World.Dispatcher.DeliverDueAsync(CancellationToken.None),
            w.Dispatcher.DeliverDueAsync(CancellationToken.None),
            two.World.Dispatcher.DeliverDueAsync(CancellationToken.None));

        Assert.Equal(events.Count, sweeps.Sum());
        Assert.Equal(events.Order(StringComparer.Ordinal), _receiver.Received.Select(r => r.Id!).Order(StringComparer.Ordinal));
    }

    /// <summary>The same attempt claimed by two workers at once: one makes it, the other gets nothing.</summary>
    [Fact]
    public async Task ConcurrentClaimsOfOneDelivery_OnlyOneAttempts()
    {
        await using var world = await StartedWorld.StartAsync(new WebhookWorld(allowPrivate: true));
        var w = world.World;
        var subscriptionId = (await WebhookWorld.SubscribeAsync(w.BankA, _receiver.Url, "offer.accepted"))["id"]!.GetValue<string>();
        var eventId = (await w.RecordAsync("offer.accepted", [w.BankAId], new { id = "ofr_1" }))!;
        _receiver.Delay = TimeSpan.FromMilliseconds(200);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => w.Dispatcher.AttemptAsync(subscriptionId, eventId, CancellationToken.None)));

        Assert.Single(outcomes, o => o is not null);
        Assert.Single(_receiver.Received);
    }

    /// <summary>A started world, stopped at the end of an <c>await using</c>.</summary>
    private sealed class StartedWorld(WebhookWorld world) : IAsyncDisposable
    {
        public WebhookWorld World => world;

        public static async Task<StartedWorld> StartAsync(WebhookWorld world)
        {
            await world.InitializeAsync();
            return new StartedWorld(world);
        }

        public async ValueTask DisposeAsync() => await world.DisposeAsync();
    }
}

/// <summary>
/// Through Hangfire for real: a Hangfire server processes the jobs (in-memory storage). Alone in the collection of
/// tests that run a Hangfire server, since Hangfire keeps some state in statics.
/// </summary>
[Collection(nameof(Roster.HangfireServerCollection))]
public sealed class WebhookHangfireTests
{
    [Fact]
    public async Task EventRecordedThenDispatched_ArrivesSignedWithinSeconds_AndTheSweepIsRegistered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var world = new WebhookWorld(allowPrivate: true, settings: new Dictionary<string, string?> { ["Hangfire:Server"] = "true" });
        await world.InitializeAsync();
        try
        {
            var created = await WebhookWorld.SubscribeAsync(world.BankA, receiver.Url, "offer.accepted");
            var eventId = await world.RecordAsync("offer.accepted", [world.BankAId], new { id = "ofr_1" });
            world.App.Services.GetRequiredService<WebhookOutbox>().DispatchNow(eventId);

            var call = Assert.Single(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(15)));
            Assert.Equal(eventId, call.Id);
            Assert.True(WebhookSignature.Verify(WebhookSecret.Parse(created["secret"]!.GetValue<string>()), call.Id!, long.Parse(call.Timestamp!, System.Globalization.CultureInfo.InvariantCulture), call.Body, call.Signature));

            // An event nobody dispatched is delivered by the sweep.
            var swept = await world.RecordAsync("offer.accepted", [world.BankAId], new { id = "ofr_2" });
            using (var connection = world.App.Services.GetRequiredService<JobStorage>().GetConnection())
            {
                Assert.Contains(connection.GetRecurringJobs(), j => j.Id == WebhookDispatcher.SweepJobId && j.Cron == Cron.Minutely());
            }

            world.App.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(WebhookDispatcher.SweepJobId);
            var calls = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(15));
            Assert.Equal(swept, calls[1].Id);
        }
        finally
        {
            await world.DisposeAsync();
        }
    }
}
