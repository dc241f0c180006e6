using System.Net;
using FinanceChain.Domain;

namespace FinanceChain.Api.Tests.Infrastructure;

/// <summary>Builders for registry data; each call makes a distinct, valid entity.</summary>
public static class TestData
{
    private static int _serial = 100_000_000;

    /// <summary>An id of the server's form that names nothing (for 400 and 404 cases past the id's format check).</summary>
    public static string UnknownId(string prefix) => Ids.New(prefix);

    /// <summary>A fresh, valid unified social credit code in <paramref name="region"/>.</summary>
    public static string CreditCodeIn(string region = "420100") =>
        CreditCode.Complete($"91{region}{Interlocked.Increment(ref _serial)}").Value;

    public static object Chain(string? code = null, string region = "420100") => new
    {
        code = code ?? $"C{Interlocked.Increment(ref _serial)}",
        name = "汽车",
        category = "manufacturing",
        region,
    };

    public static object Institution(string region = "420100") => new
    {
        name = "中国银行湖北省分行",
        kind = "largeStateOwned",
        creditCode = CreditCodeIn(region),
        region,
    };

    public static object Enterprise(string? chainId = null, string role = "upstream", string region = "420100", int employees = 50, decimal revenue = 10_000_000m, decimal assets = 5_000_000m, string industry = "industry") => new
    {
        name = "襄阳驰远汽车零部件有限公司",
        creditCode = CreditCodeIn(region),
        industry,
        employees,
        annualRevenue = revenue,
        totalAssets = assets,
        region,
        chains = chainId is null ? Array.Empty<object>() : [new { chainId, role }],
    };

    public static async Task<string> CreateChainAsync(this HttpClient admin, string? code = null, string region = "420100") =>
        (await (await admin.PostJsonAsync("/api/v1/chains", Chain(code, region))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

    public static async Task<string> CreateInstitutionAsync(this HttpClient admin, string region = "420100") =>
        (await (await admin.PostJsonAsync("/api/v1/institutions", Institution(region))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

    public static async Task<string> CreateEnterpriseAsync(this HttpClient admin, string? chainId = null, string role = "upstream", string region = "420100") =>
        (await (await admin.PostJsonAsync("/api/v1/enterprises", Enterprise(chainId, role, region))).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
}
