using System.Net;
using System.Net.Http.Json;
using Dapper;
using FinanceChain.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Tests.Notes;

/// <summary>401, 403 and 404 on every receivable and note route, and bad input on every body field.</summary>
public sealed class NoteAccessTests : IAsyncLifetime
{
    private readonly NotesWorld _w = new();
    private string _receivable = "";
    private string _note = "";
    private string _transfer = "";

    public async Task InitializeAsync()
    {
        await _w.InitializeAsync();
        _receivable = await _w.RegisterReceivableAsync();
        _note = (await _w.IssueNoteAsync(1_000m))["id"]!.GetValue<string>();
        _transfer = (await (await NotesWorld.TransferAsync(_w.Supplier, _note, _w.SubSupplierId, 1m)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
    }

    public Task DisposeAsync() => _w.DisposeAsync();

    private IEnumerable<(HttpMethod Method, string Url, object? Body)> Routes() =>
    [
        (HttpMethod.Post, "/api/v1/receivables", new { debtorId = _w.CoreId, amount = 1m, dueDate = "2026-06-30", invoiceNumbers = new[] { "25442000000000000001" } }),
        (HttpMethod.Get, "/api/v1/receivables", null),
        (HttpMethod.Get, $"/api/v1/receivables/{_receivable}", null),
        (HttpMethod.Post, $"/api/v1/receivables/{_receivable}/confirm", null),
        (HttpMethod.Post, $"/api/v1/receivables/{_receivable}/reject", new { reason = "金额不符" }),
        (HttpMethod.Post, $"/api/v1/receivables/{_receivable}/cancel", null),
        (HttpMethod.Post, "/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 1m)),
        (HttpMethod.Get, "/api/v1/notes", null),
        (HttpMethod.Get, $"/api/v1/notes/{_note}", null),
        (HttpMethod.Post, $"/api/v1/notes/{_note}/transfers", new { toEnterpriseId = _w.SubSupplierId, amount = 1m }),
        (HttpMethod.Get, $"/api/v1/notes/{_note}/transfers/{_transfer}", null),
        (HttpMethod.Post, $"/api/v1/notes/{_note}/settle", null),
        (HttpMethod.Get, $"/api/v1/notes/{_note}/history", null),
    ];

    private static HttpRequestMessage Request(HttpMethod method, string url, object? body) =>
        new(method, url) { Content = body is null ? null : JsonContent.Create(body) };

    [Fact]
    public async Task EveryRoute_WithoutOrWithUnknownKey_Returns401()
    {
        foreach (var client in new[] { _w.App.ClientWithKey(null), _w.App.ClientWithKey("fc_not-a-key") })
        {
            foreach (var (method, url, body) in Routes())
            {
                await (await client.SendAsync(Request(method, url, body))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
            }
        }
    }

    [Fact]
    public async Task EnterpriseRoutes_ForOtherRoles_Return403AndChangeNothing()
    {
        var writes = Routes().Where(r => r.Method == HttpMethod.Post).ToList();
        Assert.Equal(7, writes.Count);
        var before = await CountsAsync();

        foreach (var client in new[] { _w.Admin, _w.Regulator, _w.Bank })
        {
            foreach (var (method, url, body) in writes)
            {
                await (await client.SendAsync(Request(method, url, body))).ExpectProblemAsync(HttpStatusCode.Forbidden);
            }
        }

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task EveryRouteOnAResource_ForAStranger_Returns404AndChangesNothing()
    {
        var before = await CountsAsync();

        foreach (var (method, url, body) in Routes().Where(r => r.Url.Contains(_receivable) || r.Url.Contains(_note)))
        {
            await (await _w.Stranger.SendAsync(Request(method, url, body))).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        foreach (var url in new[] { $"/api/v1/receivables/{_receivable}", $"/api/v1/notes/{_note}", $"/api/v1/notes/{_note}/history", $"/api/v1/notes/{_note}/transfers/{_transfer}" })
        {
            await (await _w.Bank.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
            // Admin keeps the registry; notes and receivables are the parties' and the regulator's business.
            await (await _w.Admin.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await _w.Regulator.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        }

        foreach (var url in new[] { "/api/v1/receivables", "/api/v1/notes" })
        {
            var list = await (await _w.Admin.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
            Assert.Empty(list["items"]!.AsArray());
        }

        foreach (var url in new[] { "/api/v1/receivables/rcv_missing", "/api/v1/notes/nte_missing", "/api/v1/notes/nte_missing/history", $"/api/v1/notes/{_note}/transfers/ntr_missing" })
        {
            await (await _w.Regulator.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        await (await NotesWorld.TransferAsync(_w.Supplier, "nte_missing", _w.SubSupplierId, 1m)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string, string> BadNoteFields() => new()
    {
        { "payeeId", "null" },
        { "payeeId", "\"\"" },
        { "payeeId", "\"ent_missing\"" },
        { "payeeId", "\"ent_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f\"" },
        { "payeeId", "\"SELF\"" },
        { "payeeId", "\"PAYEE_UPPER\"" },
        { "payeeId", "\"PAYEE_PADDED\"" },
        { "payeeId", "\"SELF_UPPER\"" },
        { "payeeId", "[]" },
        { "amount", "0" },
        { "amount", "-100" },
        { "amount", "0.001" },
        { "amount", "10000000000000.01" },
        { "amount", "1e40" },
        { "amount", "\"100\"" },
        { "amount", "null" },
        { "dueDate", "\"2026-02-30\"" },
        { "dueDate", "\"2026-6-1\"" },
        { "dueDate", "\"2026-03-16\"" },
        { "dueDate", "\"2026-09-17\"" },
        { "dueDate", "null" },
        { "dueDate", "20260601" },
        { "receivableId", "\"\"" },
        { "receivableId", "\"rcv_missing\"" },
        { "receivableId", "\"rcv_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f\"" },
        { "receivableId", "\"" + new string('r', 41) + "\"" },
        { "receivableId", "17" },
    };

    [Theory]
    [MemberData(nameof(BadNoteFields))]
    public async Task CreateNote_BadField_Returns400AndStoresNothing(string field, string value)
    {
        var before = await CountsAsync();
        var fields = new Dictionary<string, string>
        {
            ["payeeId"] = $"\"{_w.SupplierId}\"",
            ["amount"] = "1000",
            ["dueDate"] = "\"2026-06-30\"",
        };
        fields[field] = value switch
        {
            "\"SELF\"" => $"\"{_w.CoreId}\"",
            "\"SELF_UPPER\"" => $"\"{_w.CoreId.ToUpperInvariant()}\"",
            "\"PAYEE_UPPER\"" => $"\"{_w.SupplierId.ToUpperInvariant()}\"",
            "\"PAYEE_PADDED\"" => $"\"{_w.SupplierId} \"",
            _ => value,
        };
        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";

        await (await _w.Core.PostRawAsync("/api/v1/notes", json)).ExpectValidationErrorAsync(field);

        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("""[1]""")]
    [InlineData("""{"payeeId":""")]
    [InlineData("")]
    public async Task CreateNote_MalformedBody_Returns400(string json)
    {
        var before = await CountsAsync();
        await (await _w.Core.PostRawAsync("/api/v1/notes", json)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string, string> BadTransferFields() => new()
    {
        { "toEnterpriseId", "null" },
        { "toEnterpriseId", "\"\"" },
        { "toEnterpriseId", "\"ent_missing\"" },
        { "toEnterpriseId", "\"ent_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f\"" },
        { "toEnterpriseId", "\"SELF\"" },
        { "toEnterpriseId", "\"SELF_UPPER\"" },
        { "toEnterpriseId", "\"TO_PADDED\"" },
        { "toEnterpriseId", "\"BANK\"" },
        { "amount", "0" },
        { "amount", "-0.01" },
        { "amount", "0.001" },
        { "amount", "\"1\"" },
        { "amount", "null" },
    };

    [Theory]
    [MemberData(nameof(BadTransferFields))]
    public async Task Transfer_BadField_Returns400AndChangesNothing(string field, string value)
    {
        var before = await CountsAsync();
        var holdings = NotesWorld.Holdings(await _w.GetNoteAsync(_note));
        var fields = new Dictionary<string, string>
        {
            ["toEnterpriseId"] = $"\"{_w.SubSupplierId}\"",
            ["amount"] = "1",
        };
        fields[field] = value switch
        {
            "\"SELF\"" => $"\"{_w.SupplierId}\"",
            "\"SELF_UPPER\"" => $"\"{_w.SupplierId.ToUpperInvariant()}\"",
            "\"TO_PADDED\"" => $"\"{_w.SubSupplierId}  \"",
            "\"BANK\"" => $"\"{_w.BankId}\"",
            _ => value,
        };
        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";

        await (await _w.Supplier.PostRawAsync($"/api/v1/notes/{_note}/transfers", json)).ExpectValidationErrorAsync(field);

        Assert.Equal(before, await CountsAsync());
        Assert.Equal(holdings, NotesWorld.Holdings(await _w.GetNoteAsync(_note)));
    }

    private async Task<(long Notes, long Holdings, long Events, long Receivables, long Audit, long Keys)> CountsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        return (
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notes"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM note_holdings"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM note_events"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM receivables WHERE status = 'registered'"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys"));
    }
}
