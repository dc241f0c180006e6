using System.Net;
using System.Net.Http.Json;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Tests.Audit;

public sealed class AuditTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private HttpClient _admin = null!;
    private HttpClient _regulator = null!;

    public async Task InitializeAsync()
    {
        _admin = await _app.ClientAsync(Role.Admin);
        _regulator = await _app.ClientAsync(Role.Regulator);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private async Task<List<JsonNodeEntry>> TrailAsync(string query = "")
    {
        var page = await (await _regulator.GetAsync("/api/v1/audit?limit=200" + query)).ExpectAsync(HttpStatusCode.OK);
        return page["items"]!.AsArray().Select(e => new JsonNodeEntry(
            e!["action"]!.GetValue<string>(), e["entityId"]!.GetValue<string>(), e["actor"]!.GetValue<string>(), e["role"]!.GetValue<string>(), e["seq"]!.GetValue<long>())).ToList();
    }

    private sealed record JsonNodeEntry(string Action, string EntityId, string Actor, string Role, long Seq);

    [Fact]
    public async Task Scenario_EveryChangeIsAudited_InOrder_AndRejectedCallsAreNot()
    {
        var before = await TrailAsync();

        var chain = await _admin.CreateChainAsync("HB-TEA");
        var bank = await _admin.CreateInstitutionAsync();
        var enterprise = await _admin.CreateEnterpriseAsync(chain, "core");
        await (await _admin.PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = bank })).ExpectAsync(HttpStatusCode.OK);

        // Rejected calls: duplicate, bad input, wrong role, unknown chain.
        await (await _admin.PostJsonAsync("/api/v1/chains", TestData.Chain("HB-TEA"))).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.PostRawAsync("/api/v1/chains", "{\"code\":\"X\"}")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await _regulator.PostJsonAsync("/api/v1/chains", TestData.Chain())).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await _admin.PutAsJsonAsync("/api/v1/chains/chn_missing/lead-bank", new { institutionId = bank })).ExpectProblemAsync(HttpStatusCode.NotFound);

        var trail = (await TrailAsync()).Skip(before.Count).ToList();
        Assert.Equal(
            ["chain.created", "institution.created", "enterprise.created", "chain.leadBankPaired"],
            trail.Select(e => e.Action));
        Assert.Equal([chain, bank, enterprise, chain], trail.Select(e => e.EntityId));
        Assert.All(trail, e => Assert.Equal("admin", e.Role));
        Assert.True(trail.Zip(trail.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
    }

    [Fact]
    public async Task Filters_ByEntityActorAndTime()
    {
        var chain = await _admin.CreateChainAsync();
        _app.Clock.Advance(Duration.FromDays(1));
        var middle = _app.Clock.GetCurrentInstant();
        var bank = await _admin.CreateInstitutionAsync();
        await (await _admin.PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = bank })).ExpectAsync(HttpStatusCode.OK);

        var forChain = await TrailAsync($"&entityId={chain}");
        Assert.Equal(["chain.created", "chain.leadBankPaired"], forChain.Select(e => e.Action));

        var actor = forChain[0].Actor;
        Assert.All(await TrailAsync($"&actor={actor}"), e => Assert.Equal(actor, e.Actor));
        Assert.Empty(await TrailAsync("&actor=key_nobody"));

        var later = await TrailAsync($"&from={middle}");
        Assert.Equal(["institution.created", "chain.leadBankPaired"], later.Select(e => e.Action));
        var earlier = await TrailAsync($"&to={middle}");
        Assert.DoesNotContain(earlier, e => e.Action == "institution.created");

        await (await _regulator.GetAsync("/api/v1/audit?from=yesterday")).ExpectValidationErrorAsync("from");
    }

    [Fact]
    public async Task Audit_IsForTheRegulatorOnly()
    {
        var chain = await _admin.CreateChainAsync();
        var bank = await _admin.CreateInstitutionAsync();
        var enterprise = await _admin.CreateEnterpriseAsync(chain);

        await (await _app.ClientWithKey(null).GetAsync("/api/v1/audit")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await _admin.GetAsync("/api/v1/audit")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await (await _app.ClientAsync(Role.Bank, institutionId: bank)).GetAsync("/api/v1/audit")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await (await _app.ClientAsync(Role.Enterprise, enterpriseId: enterprise)).GetAsync("/api/v1/audit")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Audit_PagesWithCursor()
    {
        for (var i = 0; i < 3; i++)
        {
            await _admin.CreateChainAsync();
        }

        var first = await (await _regulator.GetAsync("/api/v1/audit?limit=2")).ExpectAsync(HttpStatusCode.OK);
        var second = await (await _regulator.GetAsync($"/api/v1/audit?limit=2&cursor={first["next"]}")).ExpectAsync(HttpStatusCode.OK);

        Assert.True(second["items"]![0]!["seq"]!.GetValue<long>() > first["items"]![1]!["seq"]!.GetValue<long>());
    }
}
