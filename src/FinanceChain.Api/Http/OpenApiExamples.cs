using System.Globalization;
using System.Text.Json.Nodes;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Localization;
using FinanceChain.Api.Matching;
using FinanceChain.Domain;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FinanceChain.Api.Http;

/// <summary>
/// What the OpenAPI document and the reference page show about language: the <c>Accept-Language</c> header on every
/// operation, and examples in Simplified Chinese and English where the two differ (problem details, matches). The
/// examples' texts come from the same resource files as the answers, so they never drift from them.
/// </summary>
internal static class OpenApiExamples
{
    private const string ProblemJson = "application/problem+json";

    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var texts = context.ApplicationServices.GetRequiredService<TextCatalog>();
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Accept-Language",
            In = ParameterLocation.Header,
            Required = false,
            Description = "The language of every text in the answer (match reasons, near misses, roster flags, problem details): "
                + "`zh-CN` (Simplified Chinese, the default when absent or naming neither) or `en`. Codes beside the texts never change with it.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("zh-CN"), JsonValue.Create("en")] },
        });

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response.Content is { } content && content.TryGetValue(ProblemJson, out var media) && media is OpenApiMediaType problem)
            {
                problem.Examples = ByLanguage(language => ProblemExample(texts, status, language));
            }
        }

        if (context.Description.RelativePath == "api/v1/financing-requests/{id}/matches"
            && operation.Responses?.TryGetValue("200", out var ok) == true
            && ok.Content?.TryGetValue("application/json", out var json) == true && json is OpenApiMediaType matches)
        {
            matches.Examples = ByLanguage(language => MatchesExample(texts, language));
        }

        return Task.CompletedTask;
    }

    private static Dictionary<string, IOpenApiExample> ByLanguage(Func<CultureInfo, JsonNode> example) =>
        Languages.Supported.ToDictionary(
            l => l.Name,
            l => (IOpenApiExample)new OpenApiExample { Summary = l.Equals(Languages.Chinese) ? "zh-CN (default)" : "en (Accept-Language: en)", Value = example(l) });

    private static JsonNode ProblemExample(TextCatalog texts, string status, CultureInfo language)
    {
        var (code, args) = status switch
        {
            "401" => (ErrorCodes.Unauthorized, Array.Empty<object?>()),
            "403" => (ErrorCodes.Forbidden, []),
            "404" => ("financingRequestNotFound", []),
            "409" => (MatchingApiCodes.RequestNotWithdrawable, [FinancingRequestStore.RequestStatusText(FinancingRequestStatus.Withdrawn)]),
            "412" => (ErrorCodes.IfMatchStale, []),
            "428" => (ErrorCodes.IfMatchRequired, []),
            "413" => (ErrorCodes.PayloadTooLarge, [1024 * 1024]),
            "422" => (FinanceChain.Api.Idempotency.IdempotencyCodes.KeyReused, []),
            "429" => (ErrorCodes.TooManyRequests, [6000]),
            _ => (ErrorCodes.ValidationFailed, []),
        };
        var title = texts.Find("status" + status, language) ?? texts.Text(language, ErrorCodes.StatusOther, []);
        if (code == ErrorCodes.ValidationFailed)
        {
            return new JsonObject
            {
                ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                ["title"] = texts.Text(language, ErrorCodes.ValidationFailed, []),
                ["status"] = 400,
                ["code"] = ErrorCodes.ValidationFailed,
                ["errors"] = new JsonObject
                {
                    ["amount"] = new JsonArray(texts.Text(language, RegistryCodes.AmountTooManyDecimals, [])),
                    ["region"] = new JsonArray(texts.Text(language, RegistryCodes.RegionUnknown, ["420199"])),
                },
                ["errorCodes"] = new JsonObject
                {
                    ["amount"] = new JsonArray(RegistryCodes.AmountTooManyDecimals),
                    ["region"] = new JsonArray(RegistryCodes.RegionUnknown),
                },
            };
        }

        return new JsonObject
        {
            ["title"] = title,
            ["status"] = int.Parse(status, CultureInfo.InvariantCulture),
            ["detail"] = texts.Text(language, code, args),
            ["code"] = code,
        };
    }

    private static JsonNode MatchesExample(TextCatalog texts, CultureInfo language)
    {
        JsonObject Say(string code, params object?[] args) => new() { ["code"] = code, ["message"] = texts.Text(language, code, args) };
        var wan = (decimal yuan) => new MoneyInWan(Money.FromYuan(yuan));
        return new JsonObject
        {
            ["items"] = new JsonArray(new JsonObject
            {
                ["productId"] = "prd_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f",
                ["productName"] = "小龙虾产业链应收账款融资",
                ["type"] = "receivablesFinancing",
                ["institutionId"] = "ins_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f",
                ["institutionName"] = "中国农业银行湖北省分行",
                ["isLeadBank"] = true,
                ["score"] = 96.148m,
                ["minRateBps"] = 385,
                ["maxRateBps"] = 450,
                ["reasons"] = new JsonArray(
                    Say(MatchingCodes.ReasonLowestRate, new RateArg(385)),
                    Say(MatchingCodes.ReasonLeadBank),
                    Say(MatchingCodes.ReasonAcceptsCollateral, TermCodes.Of(Collateral.Receivable)),
                    Say(MatchingCodes.ReasonDesignedForChain),
                    Say(MatchingCodes.ReasonCoversAmount, wan(1_200_000m), wan(100_000m), wan(5_000_000m)),
                    Say(MatchingCodes.ReasonTermFits, 90, 30, 180),
                    Say(MatchingCodes.ReasonOfferedInRegion, RegionCode.Parse("420111"), RegionCode.Parse("420100"))),
            }),
            ["nearMisses"] = new JsonArray(new JsonObject
            {
                ["productId"] = "prd_0194f3c2a1b87c3d9e0f1a2b3c4d5e70",
                ["productName"] = "普惠信用贷",
                ["institutionId"] = "ins_0194f3c2a1b87c3d9e0f1a2b3c4d5e70",
                ["institutionName"] = "中国建设银行湖北省分行",
                ["failedRules"] = new JsonArray(
                    Say(MatchingCodes.RuleAmountAboveMaximum, wan(1_200_000m), wan(1_000_000m)),
                    Say(MatchingCodes.RuleSizeNotOffered, TermCodes.Of(EnterpriseSize.Small), new ListArg([TermCodes.Of(EnterpriseSize.Micro)]))),
            }),
        };
    }
}
