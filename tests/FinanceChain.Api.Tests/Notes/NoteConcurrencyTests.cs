using System.Net;
using Dapper;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Database;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Api.Tests.Notes;

/// <summary>
/// Two service instances on one database, as two processes behind a load balancer would be; on every provider
/// (<see cref="SqliteNoteConcurrencyTests"/>, <see cref="SqlServerNoteConcurrencyTests"/>).
/// </summary>
public abstract class NoteConcurrencySuite<TProvider> : IAsyncLifetime
    where TProvider : DatabaseProvider, new()
{
    private readonly NotesWorld _w = new(new TProvider().NewApp());
    private FinanceChainApp _second = null!;

    public async Task InitializeAsync()
    {
        await _w.InitializeAsync();
        _second = _w.App.Another();
    }

    public async Task DisposeAsync()
    {
        _second.Dispose();
        await _w.DisposeAsync();
    }

    [ProviderFact]
    public async Task ChangesByCallersWhoMayNotMakeThem_NeverWaitForTheLock()
    {
        var noteId = (await _w.IssueNoteAsync(10m))["id"]!.GetValue<string>();
        var receivable = await _w.RegisterReceivableAsync();

        // Another writer holds the database's write lock (SQLite) or the note's row lock (SQL Server).
        await using var writer = await _w.App.Services.GetRequiredService<Db>().OpenAsync();
        await using var held = await writer.BeginTransactionAsync();
        await writer.ExecuteAsync("UPDATE notes SET version = version WHERE id = @noteId", new { noteId }, held);

        var calls = new[]
        {
            (NotesWorld.TransferAsync(_w.Stranger, noteId, _w.SubSupplierId, 1m), HttpStatusCode.NotFound),
            (_w.SubSupplier.PostAsync($"/api/v1/notes/{noteId}/settle", null), HttpStatusCode.NotFound),
            (_w.Supplier.PostAsync($"/api/v1/notes/{noteId}/settle", null), HttpStatusCode.Forbidden),
            (_w.Stranger.PostAsync($"/api/v1/receivables/{receivable}/confirm", null), HttpStatusCode.NotFound),
            (_w.Supplier.PostAsync($"/api/v1/receivables/{receivable}/confirm", null), HttpStatusCode.Forbidden),
        };
        var all = Task.WhenAll(calls.Select(c => c.Item1));

        // They are refused from a plain read, long before the writer lets go (the busy timeout is 10 s).
        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5))));
        foreach (var (call, status) in calls)
        {
            await (await call).ExpectProblemAsync(status);
        }

        await held.RollbackAsync();
    }

    [ProviderFact]
    public async Task ConcurrentTransfers_ThroughTwoInstances_NeverSpendTheSameSubNotes()
    {
        // The supplier holds 10.00 yuan (units 1-1000); 0.75 a time affords exactly 13 transfers.
        const int Attempts = 40;
        const int Affordable = 13;
        var noteId = (await _w.IssueNoteAsync(10m))["id"]!.GetValue<string>();
        var key = await _w.App.CreateKeyAsync(Role.Enterprise, enterpriseId: _w.SupplierId);
        var clients = new[] { _w.App.ClientWithKey(key), _second.ClientWithKey(key) };
        var recipients = new[] { _w.SubSupplierId, _w.StrangerId };

        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, Attempts).Select(async i =>
        {
            await start.WaitAsync();
            var response = await NotesWorld.TransferAsync(clients[i % 2], noteId, recipients[i / 2 % 2], 0.75m);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }).ToList();
        start.Release(Attempts);
        var results = await Task.WhenAll(tasks);

        Assert.Equal(Affordable, results.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(Attempts - Affordable, results.Count(r => r.StatusCode == HttpStatusCode.Conflict));

        // The moved ranges are disjoint and are exactly the lowest 975 units.
        var moved = results.Where(r => r.StatusCode == HttpStatusCode.Created)
            .SelectMany(r => System.Text.Json.Nodes.JsonNode.Parse(r.Body)!["ranges"]!.AsArray())
            .Select(r => (From: r!["from"]!.GetValue<long>(), To: r["to"]!.GetValue<long>()))
            .OrderBy(r => r.From)
            .ToList();
        Assert.Equal(Affordable * 75, moved.Sum(r => r.To - r.From + 1));
        for (var i = 1; i < moved.Count; i++)
        {
            Assert.Equal(moved[i - 1].To + 1, moved[i].From);
        }

        Assert.Equal(1, moved[0].From);

        // What is stored still partitions 1..1000, with the right balances.
        var stored = await StoredHoldingsAsync(noteId, 1000);
        Assert.Equal(Money.FromYuan(0.25m), stored.Held(_w.SupplierId));
        Assert.Equal(Money.FromYuan(9.75m), stored.Held(_w.SubSupplierId) + stored.Held(_w.StrangerId));
        var history = await (await _w.Regulator.GetAsync($"/api/v1/notes/{noteId}/history")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1 + Affordable, history["items"]!.AsArray().Count);
    }

    [ProviderFact]
    public async Task ConcurrentNotesFromOneReceivable_ThroughTwoInstances_OnlyOneWins()
    {
        var receivable = await _w.ConfirmedReceivableAsync(1_000m);
        var key = await _w.App.CreateKeyAsync(Role.Enterprise, enterpriseId: _w.CoreId);
        var clients = new[] { _w.App.ClientWithKey(key), _second.ClientWithKey(key) };

        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, 10).Select(async i =>
        {
            await start.WaitAsync();
            var response = await clients[i % 2].PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 1_000m, receivableId: receivable));
            return response.StatusCode;
        }).ToList();
        start.Release(10);
        var statuses = await Task.WhenAll(tasks);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(9, statuses.Count(s => s == HttpStatusCode.Conflict));
        await using var connection = await _w.App.Services.GetRequiredService<Db>().OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notes"));
    }

    [ProviderFact]
    public async Task ConcurrentPartialNotesFromOneReceivable_ThroughTwoInstances_TakeNoMoreThanRemains()
    {
        // 1,000.00 yuan affords three notes of 300.00; ten race for it.
        var receivable = await _w.ConfirmedReceivableAsync(1_000m);
        var key = await _w.App.CreateKeyAsync(Role.Enterprise, enterpriseId: _w.CoreId);
        var clients = new[] { _w.App.ClientWithKey(key), _second.ClientWithKey(key) };

        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, 10).Select(async i =>
        {
            await start.WaitAsync();
            return (await clients[i % 2].PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 300m, receivableId: receivable))).StatusCode;
        }).ToList();
        start.Release(10);
        var statuses = await Task.WhenAll(tasks);

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.BadRequest)); // more than the 100.00 that remains
        await using var connection = await _w.App.Services.GetRequiredService<Db>().OpenAsync();
        Assert.Equal(90_000, await connection.ExecuteScalarAsync<long>("SELECT SUM(amount_fen) FROM notes WHERE receivable_id = @receivable", new { receivable }));
        Assert.Equal(10_000, await connection.ExecuteScalarAsync<long>("SELECT remaining_fen FROM receivables WHERE id = @receivable", new { receivable }));
    }

    private async Task<NoteHoldings> StoredHoldingsAsync(string noteId, long units)
    {
        await using var connection = await _w.App.Services.GetRequiredService<Db>().OpenAsync();
        var rows = (await connection.QueryAsync<(string Holder, long From, long To)>(
            "SELECT holder_id, from_unit, to_unit FROM note_holdings WHERE note_id = @noteId", new { noteId })).ToList();
        var holdings = NoteHoldings.FromRanges(units, rows.Select(r => new NoteHolding(r.Holder, SubNoteRange.Create(r.From, r.To))));
        Assert.Equal(holdings.Ranges.Count, rows.Count); // stored merged: one row per range
        return holdings;
    }
}

/// <summary>The note concurrency suite on SQLite.</summary>
public sealed class SqliteNoteConcurrencyTests : NoteConcurrencySuite<SqliteProvider>;

/// <summary>The note concurrency suite on SQL Server (<c>FINANCECHAIN_TEST_SQLSERVER</c>).</summary>
public sealed class SqlServerNoteConcurrencyTests : NoteConcurrencySuite<SqlServerProvider>;
