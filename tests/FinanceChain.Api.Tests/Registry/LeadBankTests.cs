using System.Net;
using System.Net.Http.Json;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Tests.Registry;

public sealed class LeadBankTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private HttpClient _admin = null!;

    public async Task InitializeAsync() => _admin = await _app.ClientAsync(Role.Admin);

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task LeadBank_NotPaired_Returns404()
    {
        var chain = await _admin.CreateChainAsync();
        await (await _admin.GetAsync($"/api/v1/chains/{chain}/lead-bank")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task LeadBank_Repaired_KeepsHistoryWithoutGapOrOverlap()
    {
        var chain = await _admin.CreateChainAsync();
        var first = await _admin.CreateInstitutionAsync();
        var second = await _admin.CreateInstitutionAsync();

        await (await _admin.PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = first })).ExpectAsync(HttpStatusCode.OK);
        _app.Clock.Advance(Duration.FromDays(30));
        var paired = await (await _admin.PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = second })).ExpectAsync(HttpStatusCode.OK);

        var current = await (await _admin.GetAsync($"/api/v1/chains/{chain}/lead-bank")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(second, current["institutionId"]!.GetValue<string>());
        Assert.Equal(paired["since"]!.GetValue<string>(), current["since"]!.GetValue<string>());

        var history = (await (await _admin.GetAsync($"/api/v1/chains/{chain}/lead-bank/history")).ExpectAsync(HttpStatusCode.OK)).AsArray();
        Assert.Equal(2, history.Count);
        Assert.Equal(first, history[0]!["institutionId"]!.GetValue<string>());
        Assert.Equal(history[1]!["since"]!.GetValue<string>(), history[0]!["until"]!.GetValue<string>());
        Assert.Null(history[1]!["until"]);
        Assert.Equal("test", history[0]!["pairedByName"]!.GetValue<string>());
        Assert.StartsWith("key_", history[0]!["pairedBy"]!.GetValue<string>());

        var chainView = await (await _admin.GetAsync($"/api/v1/chains/{chain}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(second, chainView["leadBank"]!["institutionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task LeadBank_SameBankAgain_ChangesNothing()
    {
        var chain = await _admin.CreateChainAsync();
        var bank = await _admin.CreateInstitutionAsync();

        var first = await (await _admin.PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = bank })).ExpectAsync(HttpStatusCode.OK);
        _app.Clock.Advance(Duration.FromHours(1));
        var again = await (await _admin.PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = bank })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(first["since"]!.GetValue<string>(), again["since"]!.GetValue<string>());
        var history = (await (await _admin.GetAsync($"/api/v1/chains/{chain}/lead-bank/history")).ExpectAsync(HttpStatusCode.OK)).AsArray();
        Assert.Single(history);
    }

    [Fact]
    public async Task LeadBank_UnknownInstitution_Returns400AndKeepsPairing()
    {
        var chain = await _admin.CreateChainAsync();
        var bank = await _admin.CreateInstitutionAsync();
        await (await _admin.PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = bank })).ExpectAsync(HttpStatusCode.OK);

        await (await _admin.PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = TestData.UnknownId("ins") })).ExpectValidationErrorAsync("institutionId");
        await (await _admin.PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = bank.ToUpperInvariant() })).ExpectValidationErrorAsync("institutionId");
        await (await _admin.PutAsJsonAsync($"/api/v1/chains/{chain}/lead-bank", new { institutionId = bank + " " })).ExpectValidationErrorAsync("institutionId");
        await (await _admin.PutRawAsync($"/api/v1/chains/{chain}/lead-bank", "{}")).ExpectValidationErrorAsync("body");

        var current = await (await _admin.GetAsync($"/api/v1/chains/{chain}/lead-bank")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(bank, current["institutionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task LeadBank_UnknownChain_Returns404()
    {
        var bank = await _admin.CreateInstitutionAsync();
        await (await _admin.PutAsJsonAsync("/api/v1/chains/chn_missing/lead-bank", new { institutionId = bank })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _admin.GetAsync("/api/v1/chains/chn_missing/lead-bank")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _admin.GetAsync("/api/v1/chains/chn_missing/lead-bank/history")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
