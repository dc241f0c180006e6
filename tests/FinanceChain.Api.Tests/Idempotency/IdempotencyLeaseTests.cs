using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using FinanceChain.Api.Idempotency;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Matching;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Api.Database;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace FinanceChain.Api.Tests.Idempotency;

/// <summary>
/// A request with an <c>Idempotency-Key</c> stores its response in the transaction of its change; a key whose
/// request never committed is taken over by a retry once its 60-second lease has run out, and the retry runs
/// exactly once. Time is a fake clock; a request is held still inside its handler to stand for one that hangs
/// or dies before it writes.
/// </summary>
/// <remarks>On every provider: <see cref="SqliteIdempotencyLeaseTests"/>, <see cref="SqlServerIdempotencyLeaseTests"/>.</remarks>
public abstract class IdempotencyLeaseSuite<TProvider>
    where TProvider : DatabaseProvider, new()
{
    private static (FinanceChainApp App, Func<PausingBacking> Pausing) AppWithPausingBacking()
    {
        var app = new TProvider().NewApp(configureServices: PausingBacking.Register);
        return (app, () => PausingBacking.Of(app));
    }

    private static HttpRequestMessage Post(string url, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Add(IdempotencyEndpoints.HeaderName, key);
        return request;
    }

    [ProviderFact]
    public async Task KeyOfAStuckRequest_Is409DuringTheLease_ThenTheRetryRunsOnce_AndTheStuckOneChangesNothing()
    {
        var (app, pausing) = AppWithPausingBacking();
        using var _ = app;
        var world = await MatchingWorld.CreateAsync(app);
        var body = ProductData.Request(world.Chain);

        // The first request takes the key and then stops, before it has written anything.
        var paused = pausing();
        var stuck = world.SmeClient.SendAsync(Post("/api/v1/financing-requests", body, "need-1"));
        await paused.Entered.Task;

        await (await world.SmeClient.SendAsync(Post("/api/v1/financing-requests", body, "need-1"))).ExpectProblemAsync(HttpStatusCode.Conflict);
        app.Clock.Advance(Duration.FromSeconds(59));
        await (await world.SmeClient.SendAsync(Post("/api/v1/financing-requests", body, "need-1"))).ExpectProblemAsync(HttpStatusCode.Conflict);

        // After the lease the retry takes the key over and runs.
        app.Clock.Advance(Duration.FromSeconds(2));
        var retried = await (await world.SmeClient.SendAsync(Post("/api/v1/financing-requests", body, "need-1"))).ExpectAsync(HttpStatusCode.Created);

        // The stuck request wakes up: its lease is gone, so its change rolls back with the response it cannot store.
        paused.Release.SetResult();
        var late = await (await stuck).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(IdempotencyCodes.LeaseLost, late["code"]!.GetValue<string>());

        var replay = await world.SmeClient.SendAsync(Post("/api/v1/financing-requests", body, "need-1"));
        Assert.Equal(retried["id"]!.GetValue<string>(), (await replay.ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>());
        Assert.True(replay.Headers.Contains(IdempotencyEndpoints.ReplayedHeaderName));
        var mine = await (await world.SmeClient.GetAsync("/api/v1/financing-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(mine["items"]!.AsArray());
    }

    [ProviderFact]
    public async Task ResponseThatCannotBeStored_RollsBackTheChange()
    {
        var (app, pausing) = AppWithPausingBacking();
        using var _ = app;
        var world = await MatchingWorld.CreateAsync(app);
        var body = ProductData.Request(world.Chain);

        var paused = pausing();
        var request = world.SmeClient.SendAsync(Post("/api/v1/financing-requests", body, "need-2"));
        await paused.Entered.Task;
        // The key's row goes away while the request runs: its response has nowhere to be stored.
        await using (var connection = await app.Services.GetRequiredService<Db>().OpenAsync())
        {
            await connection.ExecuteAsync("DELETE FROM idempotency_keys");
        }

        paused.Release.SetResult();
        await (await request).ExpectProblemAsync(HttpStatusCode.Conflict);

        var mine = await (await world.SmeClient.GetAsync("/api/v1/financing-requests")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(mine["items"]!.AsArray());
        var audit = await (await world.Regulator.GetAsync("/api/v1/audit?limit=200")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(audit["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "financingRequest.created");
    }

    [ProviderFact]
    public async Task FailedRequest_ReleasesItsKeyAtOnce_AndRollsBackWhatItWrote()
    {
        using var app = new TProvider().NewApp();
        var admin = await app.ClientAsync(FinanceChain.Domain.Role.Admin);
        var chain = TestData.Chain("DUPE");
        await (await admin.PostJsonAsync("/api/v1/chains", chain)).ExpectAsync(HttpStatusCode.Created);

        // Same code again: 409, and the key is free for a corrected body straight away (no lease to wait out).
        await (await admin.SendAsync(Post("/api/v1/chains", chain, "chn-9"))).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await admin.SendAsync(Post("/api/v1/chains", chain, "chn-9"))).ExpectProblemAsync(HttpStatusCode.Conflict);
        await using var connection = await app.Services.GetRequiredService<Db>().OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys"));
    }
}

/// <summary>The idempotency lease suite on SQLite.</summary>
public sealed class SqliteIdempotencyLeaseTests : IdempotencyLeaseSuite<SqliteProvider>;

/// <summary>The idempotency lease suite on SQL Server (<c>FINANCECHAIN_TEST_SQLSERVER</c>).</summary>
public sealed class SqlServerIdempotencyLeaseTests : IdempotencyLeaseSuite<SqlServerProvider>;
