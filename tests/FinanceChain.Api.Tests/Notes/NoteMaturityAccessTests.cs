using System.Net;
using System.Net.Http.Json;
using Dapper;
using FinanceChain.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace FinanceChain.Api.Tests.Notes;

/// <summary>
/// 401, 403 and 404 on every route of a note at maturity, and that a refused call changes nothing: a dishonoured
/// presentment of the sub-supplier with an open claim against the supplier, on the due date.
/// </summary>
public sealed class NoteMaturityAccessTests : IAsyncLifetime
{
    private readonly NotesWorld _w = new();
    private string _note = "";
    private string _presentment = "";
    private string _claim = "";

    public async Task InitializeAsync()
    {
        await _w.InitializeAsync();
        _note = (await _w.IssueNoteAsync(1_000m))["id"]!.GetValue<string>();
        await (await NotesWorld.TransferAsync(_w.Supplier, _note, _w.SubSupplierId, 400m)).ExpectAsync(HttpStatusCode.Created);
        _w.App.Clock.Reset(Instant.FromUtc(2026, 9, 1, 2, 0));
        _presentment = (await (await _w.SubSupplier.PostAsync($"/api/v1/notes/{_note}/presentments", null)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        await (await _w.Core.PostAsJsonAsync($"/api/v1/notes/{_note}/presentments/{_presentment}/dishonour", new { reason = "x" })).ExpectAsync(HttpStatusCode.OK);
        _claim = (await (await _w.SubSupplier.PostAsJsonAsync($"/api/v1/notes/{_note}/recourse", new { presentmentId = _presentment, targetId = _w.SupplierId, amount = 100m }))
            .ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
    }

    public Task DisposeAsync() => _w.DisposeAsync();

    private object ClaimBody => new { presentmentId = _presentment, targetId = _w.CoreId, amount = 1m };

    private IEnumerable<(HttpMethod Method, string Url, object? Body)> Routes() =>
    [
        (HttpMethod.Post, $"/api/v1/notes/{_note}/presentments", null),
        (HttpMethod.Get, $"/api/v1/notes/{_note}/presentments", null),
        (HttpMethod.Get, $"/api/v1/notes/{_note}/presentments/{_presentment}", null),
        (HttpMethod.Post, $"/api/v1/notes/{_note}/presentments/{_presentment}/pay", null),
        (HttpMethod.Post, $"/api/v1/notes/{_note}/presentments/{_presentment}/dishonour", new { reason = "x" }),
        (HttpMethod.Get, $"/api/v1/notes/{_note}/recourse-targets?presentmentId={_presentment}", null),
        (HttpMethod.Post, $"/api/v1/notes/{_note}/recourse", ClaimBody),
        (HttpMethod.Get, $"/api/v1/notes/{_note}/recourse", null),
        (HttpMethod.Get, $"/api/v1/notes/{_note}/recourse/{_claim}", null),
        (HttpMethod.Post, $"/api/v1/notes/{_note}/recourse/{_claim}/pay", null),
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
    public async Task Writes_ForRolesThatHoldNoNotes_Return403_AndChangeNothing()
    {
        var writes = Routes().Where(r => r.Method == HttpMethod.Post).ToList();
        Assert.Equal(5, writes.Count);
        var before = await CountsAsync();

        foreach (var client in new[] { _w.Admin, _w.Regulator })
        {
            foreach (var (method, url, body) in writes)
            {
                await (await client.SendAsync(Request(method, url, body))).ExpectProblemAsync(HttpStatusCode.Forbidden);
            }
        }

        // Only the acceptor, an enterprise, answers a presentment: a bank's key is the wrong role.
        foreach (var action in new[] { "pay", "dishonour" })
        {
            await (await _w.Bank.SendAsync(Request(HttpMethod.Post, $"/api/v1/notes/{_note}/presentments/{_presentment}/{action}", new { reason = "x" })))
                .ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task PartiesWhoMayNotDoIt_Get403_AndNothingChanges()
    {
        var before = await CountsAsync();

        // A holder cannot answer a presentment for the acceptor.
        foreach (var client in new[] { _w.Supplier, _w.SubSupplier })
        {
            var pay = await (await client.PostAsync($"/api/v1/notes/{_note}/presentments/{_presentment}/pay", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
            Assert.Equal("presentmentOnlyAcceptorAnswers", pay["code"]!.GetValue<string>());
            await (await client.PostAsJsonAsync($"/api/v1/notes/{_note}/presentments/{_presentment}/dishonour", new { reason = "x" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        // Only the party claimed against pays a claim.
        foreach (var client in new[] { _w.Core, _w.SubSupplier })
        {
            var pay = await (await client.PostAsync($"/api/v1/notes/{_note}/recourse/{_claim}/pay", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
            Assert.Equal("recourseOnlyTargetPays", pay["code"]!.GetValue<string>());
        }

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task EveryRoute_ForAStranger_Returns404_AndChangesNothing()
    {
        var before = await CountsAsync();

        foreach (var client in new[] { _w.Stranger, _w.Bank })
        {
            foreach (var (method, url, body) in Routes())
            {
                if (client == _w.Bank && url.Contains("/presentments/", StringComparison.Ordinal) && method == HttpMethod.Post)
                {
                    continue; // a bank's key may not answer presentments at all: 403 (above)
                }

                var problem = await (await client.SendAsync(Request(method, url, body))).ExpectProblemAsync(HttpStatusCode.NotFound);
                Assert.Equal("noteNotFound", problem["code"]!.GetValue<string>());
            }
        }

        // Unknown presentments and claims of a note the caller sees.
        var missingPresentment = TestData.UnknownId("prs");
        var missingClaim = TestData.UnknownId("rcl");
        foreach (var (client, method, url) in new[]
        {
            (_w.Regulator, HttpMethod.Get, $"/api/v1/notes/{_note}/presentments/{missingPresentment}"),
            (_w.Core, HttpMethod.Post, $"/api/v1/notes/{_note}/presentments/{missingPresentment}/pay"),
            (_w.SubSupplier, HttpMethod.Get, $"/api/v1/notes/{_note}/recourse-targets?presentmentId={missingPresentment}"),
            (_w.Regulator, HttpMethod.Get, $"/api/v1/notes/{_note}/recourse/{missingClaim}"),
            (_w.Supplier, HttpMethod.Post, $"/api/v1/notes/{_note}/recourse/{missingClaim}/pay"),
            (_w.Regulator, HttpMethod.Get, "/api/v1/notes/nte_missing/presentments"),
        })
        {
            await (await client.SendAsync(Request(method, url, null))).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Reads_ForThePartiesAndTheRegulator_ShowNames()
    {
        foreach (var client in new[] { _w.Core, _w.Supplier, _w.SubSupplier, _w.Regulator })
        {
            var presentments = await (await client.GetAsync($"/api/v1/notes/{_note}/presentments")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(_w.SubSupplierId, presentments["items"]![0]!["holderId"]!.GetValue<string>());
            Assert.NotNull(presentments["items"]![0]!["holderName"]);
            var claim = await (await client.GetAsync($"/api/v1/notes/{_note}/recourse/{_claim}")).ExpectAsync(HttpStatusCode.OK);
            Assert.NotNull(claim["claimantName"]);
            Assert.NotNull(claim["targetName"]);
        }

        // The regulator sees the targets of the presenter, who still holds the sub-notes.
        var targets = await (await _w.Regulator.GetAsync($"/api/v1/notes/{_note}/recourse-targets?presentmentId={_presentment}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(_w.SubSupplierId, targets["holderId"]!.GetValue<string>());
        Assert.Equal([_w.CoreId, _w.SupplierId], targets["items"]!.AsArray().Select(t => t!["partyId"]!.GetValue<string>()));
        Assert.All(targets["items"]!.AsArray(), t => Assert.NotNull(t!["partyName"]));
        await (await _w.Regulator.GetAsync($"/api/v1/notes/{_note}/recourse-targets")).ExpectProblemAsync(HttpStatusCode.BadRequest);
    }

    public static TheoryData<string, string> BadClaimFields() => new()
    {
        { "presentmentId", "null" },
        { "presentmentId", "\"prs_x\"" },
        { "targetId", "null" },
        { "targetId", "\"ENT_UPPER\"" },
        { "amount", "0" },
        { "amount", "-1" },
        { "amount", "0.001" },
        { "amount", "\"1\"" },
    };

    [Theory]
    [MemberData(nameof(BadClaimFields))]
    public async Task Claim_BadField_Returns400AndChangesNothing(string field, string value)
    {
        var before = await CountsAsync();
        var fields = new Dictionary<string, string>
        {
            ["presentmentId"] = $"\"{_presentment}\"",
            ["targetId"] = $"\"{_w.CoreId}\"",
            ["amount"] = "1",
        };
        fields[field] = value == "\"ENT_UPPER\"" ? $"\"{_w.CoreId.ToUpperInvariant()}\"" : value;
        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";

        await (await _w.SubSupplier.PostRawAsync($"/api/v1/notes/{_note}/recourse", json)).ExpectValidationErrorAsync(field);

        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("""{"reason":""}""")]
    [InlineData("""{"reason":null}""")]
    [InlineData("""{"reason":"   "}""")]
    public async Task Dishonour_WithoutAReason_Returns400AndChangesNothing(string json)
    {
        _w.App.Clock.Reset(Instant.FromUtc(2026, 9, 2, 2, 0));
        var presentment = (await (await _w.Supplier.PostAsync($"/api/v1/notes/{_note}/presentments", null)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        var before = await CountsAsync();

        await (await _w.Core.PostRawAsync($"/api/v1/notes/{_note}/presentments/{presentment}/dishonour", json)).ExpectValidationErrorAsync("reason");

        Assert.Equal(before, await CountsAsync());
    }

    private async Task<(long Presentments, long Claims, long Events, long Audit, string Holdings)> CountsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        return (
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM note_presentments WHERE status <> 'presented' OR answered_at IS NULL"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM note_recourse WHERE status = 'open'"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM note_events"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log"),
            string.Join(';', await connection.QueryAsync<string>("SELECT holder_id || ':' || from_unit || '-' || to_unit FROM note_holdings ORDER BY from_unit")));
    }
}
