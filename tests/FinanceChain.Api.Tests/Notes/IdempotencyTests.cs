using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using FinanceChain.Api.Idempotency;
using FinanceChain.Api.Keys;
using FinanceChain.Api.Notes;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;

namespace FinanceChain.Api.Tests.Notes;

public sealed class IdempotencyTests : IAsyncLifetime
{
    private readonly NotesWorld _w = new();

    public Task InitializeAsync() => _w.InitializeAsync();

    public Task DisposeAsync() => _w.DisposeAsync();

    private static HttpRequestMessage Post(string url, string json, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add(IdempotencyEndpoints.HeaderName, key);
        }

        return request;
    }

    private string NoteJson(decimal amount = 1_000m) =>
        JsonSerializer.Serialize(NotesWorld.NoteBody(_w.SupplierId, amount));

    [Fact]
    public async Task CreateNote_SameKeySameBody_ReplaysTheFirstResponseAndCreatesOne()
    {
        var first = await _w.Core.SendAsync(Post("/api/v1/notes", NoteJson(), "order-42"));
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        // The same body written differently (member order, trailing zeros) is the same request.
        var reordered = $$"""{"dueDate":"{{NotesWorld.Iso(NotesWorld.DueDate)}}","amount":1000.00,"payeeId":"{{_w.SupplierId}}"}""";
        var second = await _w.Core.SendAsync(Post("/api/v1/notes", reordered, "order-42"));

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.True(second.Headers.Contains(IdempotencyEndpoints.ReplayedHeaderName));
        Assert.Single(await NoteIdsAsync());
    }

    [Fact]
    public async Task CreateNote_SameKeyOtherBody_Returns422AndCreatesNothing()
    {
        await (await _w.Core.SendAsync(Post("/api/v1/notes", NoteJson(1_000m), "k1"))).ExpectAsync(HttpStatusCode.Created);

        await (await _w.Core.SendAsync(Post("/api/v1/notes", NoteJson(1_000.01m), "k1"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Single(await NoteIdsAsync());
    }

    [Fact]
    public async Task CreateNote_WhileFirstRequestInProgress_Returns409()
    {
        // A first request with this key is still running: its row has no status yet.
        var plain = await _w.App.CreateKeyAsync(Role.Enterprise, enterpriseId: _w.CoreId);
        var keyId = (await _w.App.Services.GetRequiredService<KeyStore>().FindActiveAsync(plain, CancellationToken.None))!.Id;
        var json = _w.App.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var body = new CreateNoteRequest(_w.SupplierId, 1_000m, NotesWorld.DueDate);
        await using (var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}"))
        {
            await connection.ExecuteAsync(
                "INSERT INTO idempotency_keys (owner, idem_key, request_hash, status_code, location, response_body, created_at) VALUES (@Owner, @Key, @Hash, NULL, NULL, NULL, '2026-03-16 02:00:00.0000000')",
                new { Owner = keyId, Key = IdempotencyEndpoints.ScopedKey("POST", IdempotencyEndpoints.Scope("/api/v1/notes/", []), "running"), Hash = IdempotencyEndpoints.RequestHash(body, json) });
        }

        var core = _w.App.ClientWithKey(plain);
        await (await core.SendAsync(Post("/api/v1/notes", NoteJson(), "running"))).ExpectProblemAsync(HttpStatusCode.Conflict);
        // Another body with that key is still a 422, as it would be once the first one completes.
        await (await core.SendAsync(Post("/api/v1/notes", NoteJson(5m), "running"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Empty(await NoteIdsAsync());
    }

    [Fact]
    public async Task FailedRequest_ReleasesTheKey_SoTheClientCanRetry()
    {
        var tooLate = JsonSerializer.Serialize(NotesWorld.NoteBody(_w.SupplierId, 1_000m, new LocalDate(2027, 1, 1)));
        await (await _w.Core.SendAsync(Post("/api/v1/notes", tooLate, "retry-me"))).ExpectValidationErrorAsync("dueDate");
        await (await _w.Core.SendAsync(Post("/api/v1/notes", tooLate, "retry-me"))).ExpectValidationErrorAsync("dueDate");
        Assert.Equal(0, await KeyRowsAsync());

        // After fixing the body, the same key goes through.
        await (await _w.Core.SendAsync(Post("/api/v1/notes", NoteJson(), "retry-me"))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(1, await KeyRowsAsync());
    }

    [Fact]
    public async Task Transfer_Replay_MovesSubNotesOnce()
    {
        var noteId = (await _w.IssueNoteAsync(1_000m))["id"]!.GetValue<string>();

        var first = await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 100m, "t-1")).ExpectAsync(HttpStatusCode.Created);
        var again = await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 100m, "t-1")).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.Equal([$"{_w.SubSupplierId}:1-10000", $"{_w.SupplierId}:10001-100000"], NotesWorld.Holdings(await _w.GetNoteAsync(noteId)));

        // A refused transfer (409) keeps nothing, so the key can be used again.
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 5_000m, "t-2")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await NotesWorld.TransferAsync(_w.Supplier, noteId, _w.SubSupplierId, 900m, "t-2")).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Key_IsScopedPerApiKeyAndRoute()
    {
        var noteId = (await (await _w.Core.SendAsync(Post("/api/v1/notes", NoteJson(), "shared"))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

        // Another API key of the same enterprise: its own key space.
        var otherKey = await _w.App.ClientAsync(Role.Enterprise, enterpriseId: _w.CoreId);
        await (await otherKey.SendAsync(Post("/api/v1/notes", NoteJson(), "shared"))).ExpectAsync(HttpStatusCode.Created);
        // Another route with the same key: another request.
        var transfer = JsonSerializer.Serialize(new { toEnterpriseId = _w.SubSupplierId, amount = 1m });
        await (await _w.Supplier.SendAsync(Post($"/api/v1/notes/{noteId}/transfers", transfer, "shared"))).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(2, (await NoteIdsAsync()).Count);
    }

    [Theory]
    [InlineData(100, HttpStatusCode.Created)]
    [InlineData(101, HttpStatusCode.BadRequest)]
    public async Task Key_LongerThan100Characters_Returns400(int length, HttpStatusCode expected)
    {
        var response = await _w.Core.SendAsync(Post("/api/v1/notes", NoteJson(), new string('k', length)));

        if (expected == HttpStatusCode.BadRequest)
        {
            await response.ExpectValidationErrorAsync(IdempotencyEndpoints.ErrorField);
            Assert.Empty(await NoteIdsAsync());
        }
        else
        {
            await response.ExpectAsync(expected);
        }
    }

    [Fact]
    public async Task Replay_WorksAcrossServiceInstances()
    {
        using var second = new FinanceChainApp(_w.App.DatabaseFile, _w.App.Clock);
        var plain = await _w.App.CreateKeyAsync(Role.Enterprise, enterpriseId: _w.CoreId);

        var first = await (await _w.App.ClientWithKey(plain).SendAsync(Post("/api/v1/notes", NoteJson(), "both"))).ExpectAsync(HttpStatusCode.Created);
        var replay = await (await second.ClientWithKey(plain).SendAsync(Post("/api/v1/notes", NoteJson(), "both"))).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(first["id"]!.GetValue<string>(), replay["id"]!.GetValue<string>());
        Assert.Single(await NoteIdsAsync());
    }

    [Fact]
    public async Task RegisterReceivable_HonoursTheKeyToo()
    {
        var body = new { debtorId = _w.CoreId, amount = 10m, dueDate = "2026-06-30", invoiceNumbers = new[] { "25442000000000000001" } };
        var request1 = new HttpRequestMessage(HttpMethod.Post, "/api/v1/receivables") { Content = JsonContent.Create(body) };
        request1.Headers.Add(IdempotencyEndpoints.HeaderName, "r");
        var request2 = new HttpRequestMessage(HttpMethod.Post, "/api/v1/receivables") { Content = JsonContent.Create(body) };
        request2.Headers.Add(IdempotencyEndpoints.HeaderName, "r");

        var first = await (await _w.Supplier.SendAsync(request1)).ExpectAsync(HttpStatusCode.Created);
        var second = await (await _w.Supplier.SendAsync(request2)).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        var list = await (await _w.Supplier.GetAsync("/api/v1/receivables")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(list["items"]!.AsArray());
    }

    private async Task<List<string>> NoteIdsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        return (await connection.QueryAsync<string>("SELECT id FROM notes")).ToList();
    }

    private async Task<long> KeyRowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys");
    }
}
