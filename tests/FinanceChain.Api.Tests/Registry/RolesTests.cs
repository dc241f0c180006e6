using System.Net;
using System.Net.Http.Json;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;

namespace FinanceChain.Api.Tests.Registry;

/// <summary>401 without or with an unknown key, 403 for the wrong role, on every registry and key route.</summary>
public sealed class RolesTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private HttpClient _admin = null!;
    private string _chain = "";
    private string _institution = "";
    private string _enterprise = "";

    public async Task InitializeAsync()
    {
        _admin = await _app.ClientAsync(Role.Admin);
        _chain = await _admin.CreateChainAsync();
        _institution = await _admin.CreateInstitutionAsync();
        _enterprise = await _admin.CreateEnterpriseAsync(_chain);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private IEnumerable<(HttpMethod Method, string Url, object? Body, bool AdminOnly)> Routes() =>
    [
        (HttpMethod.Post, "/api/v1/chains", TestData.Chain(), true),
        (HttpMethod.Get, "/api/v1/chains", null, false),
        (HttpMethod.Get, $"/api/v1/chains/{_chain}", null, false),
        (HttpMethod.Put, $"/api/v1/chains/{_chain}/lead-bank", new { institutionId = _institution }, true),
        (HttpMethod.Get, $"/api/v1/chains/{_chain}/lead-bank/history", null, false),
        (HttpMethod.Post, "/api/v1/institutions", TestData.Institution(), true),
        (HttpMethod.Get, "/api/v1/institutions", null, false),
        (HttpMethod.Get, $"/api/v1/institutions/{_institution}", null, false),
        (HttpMethod.Post, "/api/v1/enterprises", TestData.Enterprise(), true),
        (HttpMethod.Get, "/api/v1/enterprises", null, false),
        (HttpMethod.Get, $"/api/v1/enterprises/{_enterprise}", null, false),
        (HttpMethod.Post, $"/api/v1/enterprises/{_enterprise}/chains", new { chainId = _chain, role = "upstream" }, true),
        (HttpMethod.Post, "/api/v1/keys", new { role = "regulator", name = "pboc" }, true),
        (HttpMethod.Get, "/api/v1/keys", null, true),
    ];

    private static HttpRequestMessage Request(HttpMethod method, string url, object? body) =>
        new(method, url) { Content = body is null ? null : JsonContent.Create(body) };

    [Fact]
    public async Task EveryRoute_WithoutKey_Returns401()
    {
        var anonymous = _app.ClientWithKey(null);
        foreach (var (method, url, body, _) in Routes())
        {
            var response = await anonymous.SendAsync(Request(method, url, body));
            await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task EveryRoute_WithUnknownKey_Returns401()
    {
        var unknown = _app.ClientWithKey("fc_not-a-key");
        foreach (var (method, url, body, _) in Routes())
        {
            await (await unknown.SendAsync(Request(method, url, body))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task AdminRoutes_ForOtherRoles_Return403AndChangeNothing()
    {
        var others = new[]
        {
            await _app.ClientAsync(Role.Regulator),
            await _app.ClientAsync(Role.Bank, institutionId: _institution),
            await _app.ClientAsync(Role.Enterprise, enterpriseId: _enterprise),
        };
        foreach (var client in others)
        {
            foreach (var (method, url, body, adminOnly) in Routes())
            {
                var response = await client.SendAsync(Request(method, url, body));
                if (adminOnly)
                {
                    await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
                }
                else
                {
                    await response.ExpectAsync(HttpStatusCode.OK);
                }
            }
        }

        var chains = await (await _admin.GetAsync("/api/v1/chains")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(chains["items"]!.AsArray());
        await (await _admin.GetAsync($"/api/v1/chains/{_chain}/lead-bank")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RevokedKey_Returns401()
    {
        var created = await (await _admin.PostJsonAsync("/api/v1/keys", new { role = "regulator", name = "pboc" })).ExpectAsync(HttpStatusCode.Created);
        var regulator = _app.ClientWithKey(created["key"]!.GetValue<string>());
        await (await regulator.GetAsync("/api/v1/chains")).ExpectAsync(HttpStatusCode.OK);

        await (await _admin.PostAsync($"/api/v1/keys/{created["id"]}/revoke", null)).ExpectAsync(HttpStatusCode.OK);

        await (await regulator.GetAsync("/api/v1/chains")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await _admin.PostAsync($"/api/v1/keys/{created["id"]}/revoke", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.PostAsync("/api/v1/keys/key_missing/revoke", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"role":"bank","name":"x"}""", "institutionId")]
    [InlineData("""{"role":"enterprise","name":"x"}""", "enterpriseId")]
    [InlineData("""{"role":"admin","name":"x","enterpriseId":"ent_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f"}""", "enterpriseId")]
    [InlineData("""{"role":"bank","name":"x","institutionId":"ins_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f"}""", "institutionId")]
    [InlineData("""{"role":"bank","name":"x","institutionId":"ins_missing"}""", "institutionId")]
    [InlineData("""{"role":"bank","name":"x","institutionId":"INS_0194F3C2A1B87C3D9E0F1A2B3C4D5E6F"}""", "institutionId")]
    [InlineData("""{"role":"enterprise","name":"x","enterpriseId":" ent_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f"}""", "enterpriseId")]
    [InlineData("""{"role":"superuser","name":"x"}""", "role")]
    [InlineData("""{"role":"admin","name":""}""", "name")]
    public async Task Key_BadBinding_Returns400AndCreatesNothing(string json, string field)
    {
        var before = (await (await _admin.GetAsync("/api/v1/keys")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray().Count;

        await (await _admin.PostRawAsync("/api/v1/keys", json)).ExpectValidationErrorAsync(field);

        var after = (await (await _admin.GetAsync("/api/v1/keys")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray().Count;
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Keys_AreListedWithoutSecrets()
    {
        var created = await (await _admin.PostJsonAsync("/api/v1/keys", new { role = "bank", name = "boc", institutionId = _institution })).ExpectAsync(HttpStatusCode.Created);
        var secret = created["key"]!.GetValue<string>();

        var listed = await (await _admin.GetAsync("/api/v1/keys")).ExpectAsync(HttpStatusCode.OK);

        Assert.DoesNotContain(secret, listed.ToJsonString());
        Assert.Contains(listed["items"]!.AsArray(), k => k!["id"]!.GetValue<string>() == created["id"]!.GetValue<string>() && k["role"]!.GetValue<string>() == "bank");
    }
}
