using System.Text.Json.Nodes;
using FinanceChain.Domain;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FinanceChain.Api.Http;

/// <summary>
/// One request body example per write operation, keyed by method and route, as a bank's or an enterprise's
/// integration team would send it. Each passes the API's own validation (an API test posts every one of them to the
/// service with real ids in place of these), so a client copying one gets past the 400s.
/// </summary>
internal static class OpenApiRequestExamples
{
    // Ids of the server's form; the test swaps each for a real one.
    internal const string Chain = "chn_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f";
    internal const string Institution = "ins_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f";
    internal const string Supplier = "ent_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f";
    internal const string Core = "ent_0194f3c2a1b87c3d9e0f1a2b3c4d5e70";
    internal const string Product = "prd_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f";
    internal const string Presentment = "prs_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f";

    private static readonly Dictionary<string, Func<JsonNode>> ByRoute = new()
    {
        ["POST api/v1/keys"] = () => new JsonObject
        {
            ["role"] = "bank",
            ["name"] = "农行湖北分行 供应链金融系统",
            ["institutionId"] = Institution,
        },
        ["POST api/v1/chains"] = () => new JsonObject
        {
            ["code"] = "HB-CRAYFISH",
            ["name"] = "小龙虾产业链",
            ["category"] = "agriculture",
            ["region"] = "429005",
            ["chief"] = "潜江市副市长",
        },
        ["PUT api/v1/chains/{id}/lead-bank"] = () => new JsonObject { ["institutionId"] = Institution },
        ["POST api/v1/institutions"] = () => new JsonObject
        {
            ["name"] = "中国农业银行湖北省分行",
            ["kind"] = "largeStateOwned",
            ["creditCode"] = CreditCode.Complete("91420100MA4K0B301").Value,
            ["region"] = "420100",
        },
        ["POST api/v1/enterprises"] = () => new JsonObject
        {
            ["name"] = "潜江虾乡食品有限公司",
            ["creditCode"] = CreditCode.Complete("91429005MA49C7X21").Value,
            ["industry"] = "industry",
            ["employees"] = 180,
            ["annualRevenue"] = 86_000_000.5m,
            ["totalAssets"] = 52_000_000m,
            ["region"] = "429005",
            ["chains"] = new JsonArray(new JsonObject { ["chainId"] = Chain, ["role"] = "upstream" }),
        },
        ["POST api/v1/enterprises/{id}/chains"] = () => new JsonObject { ["chainId"] = Chain, ["role"] = "upstream" },
        ["POST api/v1/products"] = Product_,
        ["PUT api/v1/products/{id}"] = Product_,
        ["POST api/v1/financing-requests"] = () => new JsonObject
        {
            ["chainId"] = Chain,
            ["amount"] = 1_200_000m,
            ["termDays"] = 90,
            ["purpose"] = "采购小龙虾原料，旺季备货",
            ["acceptableTypes"] = new JsonArray("receivablesFinancing", "creditLoan"),
            ["collateralOffered"] = new JsonArray("receivable"),
            ["maxRateBps"] = 450,
        },
        ["POST api/v1/financing-requests/{id}/offers"] = () => new JsonObject
        {
            ["productId"] = Product,
            ["amount"] = 1_200_000m,
            ["rateBps"] = 395,
            ["termDays"] = 90,
        },
        ["POST api/v1/receivables"] = () => new JsonObject
        {
            ["debtorId"] = Core,
            ["amount"] = 356_800.25m,
            ["dueDate"] = "2026-09-30",
            ["invoiceNumbers"] = new JsonArray("42001234567890123456"),
        },
        ["POST api/v1/receivables/{id}/reject"] = () => new JsonObject { ["reason"] = "发票金额与收货单不符" },
        ["POST api/v1/notes"] = () => new JsonObject
        {
            ["payeeId"] = Supplier,
            ["amount"] = 500_000m,
            ["dueDate"] = "2026-09-10",
        },
        ["POST api/v1/notes/{id}/transfers"] = () => new JsonObject { ["toEnterpriseId"] = Core, ["amount"] = 120_000.5m },
        ["POST api/v1/notes/{id}/presentments/{presentmentId}/dishonour"] = () => new JsonObject { ["reason"] = "账户余额不足" },
        ["POST api/v1/notes/{id}/recourse"] = () => new JsonObject
        {
            ["presentmentId"] = Presentment,
            ["targetId"] = Core,
            ["amount"] = 120_000.5m,
        },
        ["POST api/v1/rosters/{period}/approve"] = () => new JsonObject { ["comment"] = "经审核，同意公示" },
        ["POST api/v1/rosters/{period}/return"] = () => new JsonObject { ["comment"] = "请补充核心企业名单" },
        ["POST api/v1/webhooks"] = () => new JsonObject
        {
            ["url"] = "https://fc-hooks.bank.example.cn/financechain",
            ["events"] = new JsonArray("financingRequest.matched", "offer.accepted", "offer.declined"),
        },
    };

    /// <summary>The method-and-route keys that have an example (for the test that posts them all).</summary>
    public static IReadOnlyCollection<string> Routes => ByRoute.Keys;

    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        // A group's "/" route has a trailing slash in its relative path (api/v1/products/).
        var key = $"{context.Description.HttpMethod} {context.Description.RelativePath?.TrimEnd('/')}";
        if (ByRoute.TryGetValue(key, out var example)
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true && media is OpenApiMediaType json)
        {
            json.Examples = new Dictionary<string, IOpenApiExample>
            {
                ["example"] = new OpenApiExample { Summary = "A typical request", Value = example() },
            };
        }

        return Task.CompletedTask;
    }

    private static JsonNode Product_() => new JsonObject
    {
        ["name"] = "小龙虾产业链应收账款融资",
        ["type"] = "receivablesFinancing",
        ["minAmount"] = 100_000m,
        ["maxAmount"] = 5_000_000m,
        ["minTermDays"] = 30,
        ["maxTermDays"] = 180,
        ["minRateBps"] = 385,
        ["maxRateBps"] = 450,
        ["collateral"] = "receivable",
        ["chainIds"] = new JsonArray(Chain),
        ["enterpriseSizes"] = new JsonArray("medium", "small", "micro"),
        ["regions"] = new JsonArray("420000"),
        ["requiresConfirmedReceivable"] = false,
    };
}
