using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace FinanceChain.Api.Tests.Notes;

/// <summary>
/// Presentments racing transfers, payments and each other through two service instances on one database file, as two
/// processes behind a load balancer would: every change takes the note's lock, so whatever the order, the holdings
/// partition the note, every sub-note is paid at most once, and no presentment covers sub-notes that moved after it.
/// </summary>
public sealed class NoteMaturityConcurrencyTests : IAsyncLifetime
{
    // 00:00 on the due date (2026-09-01) in Shanghai.
    private static readonly Instant DueMidnight = Instant.FromUtc(2026, 8, 31, 16, 0);

    private readonly SteppingClock _clock = new(FinanceChainApp.DefaultNow);
    private NotesWorld _w = null!;
    private FinanceChainApp _second = null!;

    public async Task InitializeAsync()
    {
        var file = FinanceChainApp.NewDatabaseFile();
        _w = new NotesWorld(new FinanceChainApp(file, configureServices: UseClock));
        await _w.InitializeAsync();
        _second = new FinanceChainApp(file, configureServices: UseClock);
    }

    public async Task DisposeAsync()
    {
        _second.Dispose();
        await _w.DisposeAsync();
    }

    private void UseClock(IServiceCollection services)
    {
        services.RemoveAll<IClock>();
        services.AddSingleton<IClock>(_clock);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(40)]
    public async Task PresentmentsAgainstTransfers_AcrossTheDueDatesMidnight_NeverPresentSubNotesThatMovedAfterwards(int millisecondsBeforeMidnight)
    {
        _clock.Reset(FinanceChainApp.DefaultNow, Duration.Zero);
        var noteId = (await _w.IssueNoteAsync(10m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 2m)).ExpectAsync(HttpStatusCode.Created);
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.StrangerId, 0.5m)).ExpectAsync(HttpStatusCode.Created);
        var holders = new[] { await ClientsAsync(_w.SupplierId), await ClientsAsync(_w.SubSupplierId), await ClientsAsync(_w.StrangerId) };

        // The clock crosses midnight while the requests run (it moves on at every reading): a transfer is allowed
        // before it, a presentment after it. Which of them comes first is left to the race.
        _clock.Reset(DueMidnight - Duration.FromMilliseconds(millisecondsBeforeMidnight), Duration.FromMilliseconds(1));
        var calls = new List<Func<Task<HttpResponseMessage>>>();
        for (var i = 0; i < 16; i++)
        {
            var client = holders[0][i % 2];
            var to = i % 3 == 0 ? _w.StrangerId : _w.SubSupplierId;
            calls.Add(() => NotesWorld.TransferAsync(client, noteId, to, 0.25m));
        }

        foreach (var clients in holders)
        {
            for (var i = 0; i < 4; i++)
            {
                var client = clients[i % 2];
                calls.Add(() => client.PostAsync($"/api/v1/notes/{noteId}/presentments", null));
            }
        }

        var statuses = await RaceAsync(calls);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.Conflict, s.ToString()));

        // Whoever has not presented yet does so now, on the due date.
        _clock.Reset(DueMidnight + Duration.FromHours(10), Duration.Zero);
        foreach (var clients in holders)
        {
            var status = (await clients[0].PostAsync($"/api/v1/notes/{noteId}/presentments", null)).StatusCode;
            Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Conflict, status.ToString());
        }

        var history = await HistoryAsync(noteId);
        var lastTransfer = history.Last(e => e.Type == "transferred").Seq;
        Assert.All(history.Where(e => e.Type == "presented"), p => Assert.True(p.Seq > lastTransfer, "a sub-note was passed on after a presentment"));

        var holdings = await StoredHoldingsAsync(noteId, 1000);
        var presentments = await (await _w.Regulator.GetAsync($"/api/v1/notes/{noteId}/presentments")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, presentments["items"]!.AsArray().Count);
        var seen = new HashSet<string>();
        foreach (var presentment in presentments["items"]!.AsArray())
        {
            var holder = presentment!["holderId"]!.GetValue<string>();
            Assert.True(seen.Add(holder), "a holder presented twice");
            Assert.Equal(SubNoteRangeSet.Of(holdings.RangesOf(holder)).ToString(), RangesOf(presentment));
        }
    }

    [Fact]
    public async Task PresentmentsAgainstSettlement_EverySubNoteIsPaidExactlyOnce()
    {
        var noteId = (await _w.IssueNoteAsync(10m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 3m)).ExpectAsync(HttpStatusCode.Created);
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.StrangerId, 2.5m)).ExpectAsync(HttpStatusCode.Created);
        _clock.Reset(DueMidnight + Duration.FromHours(10), Duration.Zero);
        var core = await ClientsAsync(_w.CoreId);
        var calls = new List<Func<Task<HttpResponseMessage>>>();
        foreach (var holderId in new[] { _w.SupplierId, _w.SubSupplierId, _w.StrangerId })
        {
            var clients = await ClientsAsync(holderId);
            for (var i = 0; i < 3; i++)
            {
                var client = clients[i % 2];
                calls.Add(() => client.PostAsync($"/api/v1/notes/{noteId}/presentments", null));
            }
        }

        for (var i = 0; i < 3; i++)
        {
            var client = core[i % 2];
            calls.Add(() => client.PostAsync($"/api/v1/notes/{noteId}/settle", null));
        }

        var statuses = await RaceAsync(calls);

        Assert.Equal(1, statuses.Skip(9).Count(s => s == HttpStatusCode.OK));
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Conflict, s.ToString()));
        Assert.True(statuses.Take(9).Count(s => s == HttpStatusCode.Created) <= 3);
        Assert.Equal("settled", (await _w.GetNoteAsync(noteId))["status"]!.GetValue<string>());

        // Every unit was paid once: the paid events' ranges partition the note.
        var paid = (await HistoryAsync(noteId)).Where(e => e.Type == "paid").SelectMany(e => e.Ranges).ToList();
        Assert.Equal(1000, paid.Sum(r => r.Count));
        Assert.Equal("1-1000", SubNoteRangeSet.Of(paid).ToString());
        var presentments = await (await _w.Regulator.GetAsync($"/api/v1/notes/{noteId}/presentments")).ExpectAsync(HttpStatusCode.OK);
        Assert.All(presentments["items"]!.AsArray(), p => Assert.Equal("paid", p!["status"]!.GetValue<string>()));
        await StoredHoldingsAsync(noteId, 1000);
    }

    [Fact]
    public async Task PresentmentPayments_AndDishonours_RacingEachOther_AnswerEachPresentmentOnce()
    {
        var noteId = (await _w.IssueNoteAsync(10m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 4m)).ExpectAsync(HttpStatusCode.Created);
        _clock.Reset(DueMidnight + Duration.FromHours(10), Duration.Zero);
        var presentmentId = (await (await _w.SubSupplier.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        var core = await ClientsAsync(_w.CoreId);
        var calls = Enumerable.Range(0, 10).Select<int, Func<Task<HttpResponseMessage>>>(i => i % 2 == 0
            ? () => core[i % 2].PostAsync($"/api/v1/notes/{noteId}/presentments/{presentmentId}/pay", null)
            : () => core[i % 2].PostAsJsonAsync($"/api/v1/notes/{noteId}/presentments/{presentmentId}/dishonour", new { reason = "x" })).ToList();

        var statuses = await RaceAsync(calls);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(9, statuses.Count(s => s == HttpStatusCode.Conflict));
        var answers = (await HistoryAsync(noteId)).Count(e => e.Type is "paid" or "dishonoured");
        Assert.Equal(1, answers);
    }

    [Fact]
    public async Task RecoursePayments_OnTheSameSubNotes_ByTwoTargets_OnlyOneIsPaid()
    {
        var noteId = (await _w.IssueNoteAsync(10m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 4m)).ExpectAsync(HttpStatusCode.Created);
        await (await NotesWorld.TransferAsync(_w.SubSupplier, noteId, _w.StrangerId, 4m)).ExpectAsync(HttpStatusCode.Created);
        _clock.Reset(DueMidnight + Duration.FromHours(10), Duration.Zero);
        var presentmentId = (await (await _w.Stranger.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        await (await _w.Core.PostAsJsonAsync($"/api/v1/notes/{noteId}/presentments/{presentmentId}/dishonour", new { reason = "x" })).ExpectAsync(HttpStatusCode.OK);
        var claims = new List<(string Target, string Id)>();
        foreach (var target in new[] { _w.SupplierId, _w.SubSupplierId })
        {
            var claim = await (await _w.Stranger.PostAsJsonAsync($"/api/v1/notes/{noteId}/recourse", new { presentmentId, targetId = target, amount = 4m })).ExpectAsync(HttpStatusCode.Created);
            claims.Add((target, claim["id"]!.GetValue<string>()));
        }

        var calls = new List<Func<Task<HttpResponseMessage>>>();
        foreach (var (target, id) in claims)
        {
            var clients = await ClientsAsync(target);
            for (var i = 0; i < 4; i++)
            {
                var client = clients[i % 2];
                calls.Add(() => client.PostAsync($"/api/v1/notes/{noteId}/recourse/{id}/pay", null));
            }
        }

        var statuses = await RaceAsync(calls);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
        var holdings = await StoredHoldingsAsync(noteId, 1000);
        Assert.Equal(Money.Zero, holdings.Held(_w.StrangerId));
        var stored = await (await _w.Regulator.GetAsync($"/api/v1/notes/{noteId}/recourse")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["paid", "superseded"], stored["items"]!.AsArray().Select(c => c!["status"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task MaturityChangesByCallersWhoMayNotMakeThem_NeverWaitForTheLock()
    {
        var noteId = (await _w.IssueNoteAsync(10m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 4m)).ExpectAsync(HttpStatusCode.Created);
        _clock.Reset(DueMidnight + Duration.FromHours(10), Duration.Zero);
        var presentmentId = (await (await _w.SubSupplier.PostAsync($"/api/v1/notes/{noteId}/presentments", null)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        await (await _w.Core.PostAsJsonAsync($"/api/v1/notes/{noteId}/presentments/{presentmentId}/dishonour", new { reason = "x" })).ExpectAsync(HttpStatusCode.OK);
        var claimId = (await (await _w.SubSupplier.PostAsJsonAsync($"/api/v1/notes/{noteId}/recourse", new { presentmentId, targetId = _w.SupplierId, amount = 1m }))
            .ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

        // Another writer holds the database's write lock (SQLite; on SQL Server it would be the note's row lock).
        await using var writer = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        await writer.OpenAsync();
        await using var held = (SqliteTransaction)await writer.BeginTransactionAsync();
        await writer.ExecuteAsync("UPDATE notes SET version = version WHERE id = @noteId", new { noteId }, held);

        var calls = new[]
        {
            (_w.Stranger.PostAsync($"/api/v1/notes/{noteId}/presentments", null), HttpStatusCode.NotFound),
            (_w.Supplier.PostAsync($"/api/v1/notes/{noteId}/presentments/{presentmentId}/pay", null), HttpStatusCode.Forbidden),
            (_w.Stranger.PostAsJsonAsync($"/api/v1/notes/{noteId}/presentments/{presentmentId}/dishonour", new { reason = "x" }), HttpStatusCode.NotFound),
            (_w.Stranger.PostAsJsonAsync($"/api/v1/notes/{noteId}/recourse", new { presentmentId, targetId = _w.CoreId, amount = 1m }), HttpStatusCode.NotFound),
            (_w.Core.PostAsync($"/api/v1/notes/{noteId}/recourse/{claimId}/pay", null), HttpStatusCode.Forbidden),
            (_w.Stranger.GetAsync($"/api/v1/notes/{noteId}/recourse-targets?presentmentId={presentmentId}"), HttpStatusCode.NotFound),
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

    /// <summary>The same enterprise's key on both instances.</summary>
    private async Task<HttpClient[]> ClientsAsync(string enterpriseId)
    {
        var key = await _w.App.CreateKeyAsync(Role.Enterprise, enterpriseId: enterpriseId);
        return [_w.App.ClientWithKey(key), _second.ClientWithKey(key)];
    }

    private static async Task<HttpStatusCode[]> RaceAsync(IReadOnlyList<Func<Task<HttpResponseMessage>>> calls)
    {
        using var start = new SemaphoreSlim(0);
        var tasks = calls.Select(async call =>
        {
            await start.WaitAsync();
            return (await call()).StatusCode;
        }).ToList();
        start.Release(calls.Count);
        return await Task.WhenAll(tasks);
    }

    private async Task<List<(int Seq, string Type, List<SubNoteRange> Ranges)>> HistoryAsync(string noteId)
    {
        var history = await (await _w.Regulator.GetAsync($"/api/v1/notes/{noteId}/history")).ExpectAsync(HttpStatusCode.OK);
        return history["items"]!.AsArray().Select(e => (
            e!["seq"]!.GetValue<int>(),
            e["type"]!.GetValue<string>(),
            e["ranges"]!.AsArray().Select(r => SubNoteRange.Create(r!["from"]!.GetValue<long>(), r["to"]!.GetValue<long>())).ToList())).ToList();
    }

    private static string RangesOf(JsonNode presentment) =>
        SubNoteRangeSet.Of(presentment["ranges"]!.AsArray().Select(r => SubNoteRange.Create(r!["from"]!.GetValue<long>(), r["to"]!.GetValue<long>()))).ToString();

    private async Task<NoteHoldings> StoredHoldingsAsync(string noteId, long units)
    {
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        var rows = (await connection.QueryAsync<(string Holder, long From, long To)>(
            "SELECT holder_id, from_unit, to_unit FROM note_holdings WHERE note_id = @noteId", new { noteId })).ToList();
        var holdings = NoteHoldings.FromRanges(units, rows.Select(r => new NoteHolding(r.Holder, SubNoteRange.Create(r.From, r.To))));
        Assert.Equal(holdings.Ranges.Count, rows.Count); // stored merged: one row per range
        return holdings;
    }

    /// <summary>A clock two instances share that moves on by a step at every reading, safely from any thread.</summary>
    private sealed class SteppingClock(Instant start) : IClock
    {
        private readonly Lock _gate = new();
        private Instant _now = start;
        private Duration _step = Duration.Zero;

        public void Reset(Instant now, Duration step)
        {
            lock (_gate)
            {
                _now = now;
                _step = step;
            }
        }

        public Instant GetCurrentInstant()
        {
            lock (_gate)
            {
                var now = _now;
                _now += _step;
                return now;
            }
        }
    }
}
