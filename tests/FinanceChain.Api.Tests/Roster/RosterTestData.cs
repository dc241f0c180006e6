using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FinanceChain.Api.Tests.Infrastructure;

namespace FinanceChain.Api.Tests.Roster;

/// <summary>Registry set-ups and roster calls that the roster tests share.</summary>
internal static class RosterTestData
{
    public static async Task<string> CreateNamedChainAsync(this HttpClient admin, string code, string name) =>
        (await (await admin.PostJsonAsync("/api/v1/chains", new { code, name, category = "agriculture", region = "420000" }))
            .ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

    public static async Task PairAsync(this HttpClient admin, string chainId, string institutionId) =>
        await (await admin.PutAsJsonAsync($"/api/v1/chains/{chainId}/lead-bank", new { institutionId })).ExpectAsync(HttpStatusCode.OK);

    public static async Task JoinAsync(this HttpClient admin, string enterpriseId, string chainId, string role = "core") =>
        await (await admin.PostJsonAsync($"/api/v1/enterprises/{enterpriseId}/chains", new { chainId, role })).ExpectAsync(HttpStatusCode.OK);

    public static async Task<JsonNode> CompileAsync(this HttpClient client, string period) =>
        await (await client.PostAsync($"/api/v1/rosters/{period}/compile", null)).ExpectAsync(HttpStatusCode.OK);

    public static async Task<JsonNode> ApproveAsync(this HttpClient regulator, string period, string? comment = null) =>
        await (await regulator.PostJsonAsync($"/api/v1/rosters/{period}/approve", new { comment })).ExpectAsync(HttpStatusCode.OK);

    public static JsonObject Entry(this JsonNode roster, string chainId) =>
        roster["entries"]!.AsArray().Single(e => e!["chainId"]!.GetValue<string>() == chainId)!.AsObject();

    public static string[] FlagCodes(this JsonNode entry) =>
        entry["flags"]!.AsArray().Select(f => f!["code"]!.GetValue<string>()).ToArray();
}
