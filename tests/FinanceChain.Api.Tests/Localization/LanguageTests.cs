using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Matching;
using FinanceChain.Api.Tests.Products;

namespace FinanceChain.Api.Tests.Localization;

/// <summary>
/// What a user reads: the same match, near miss and error in Chinese by default and in English with
/// <c>Accept-Language: en</c>, always with the same codes.
/// </summary>
public sealed class LanguageTests : IAsyncLifetime
{
    private readonly FinanceChainApp _app = new();
    private MatchingWorld _w = null!;

    public async Task InitializeAsync() => _w = await MatchingWorld.CreateAsync(_app);

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Matches_ChineseByDefault_EnglishOnRequest_SameCodes()
    {
        await _w.A.CreateProductAsync(ProductData.Product("小龙虾产业链应收账款融资", minRateBps: 385, chainIds: [_w.Chain], regions: ["420000"]));
        var request = await _w.RequestAsync(b => b.With("amount", 1_200_000m));
        var url = $"/api/v1/financing-requests/{request}/matches";

        var zh = (await (await _w.SmeClient.GetAsync(url)).ExpectAsync(HttpStatusCode.OK))["items"]![0]!;
        var en = (await (await SendAsync(_w.SmeClient, HttpMethod.Get, url, "en-US,en;q=0.9")).ExpectAsync(HttpStatusCode.OK))["items"]![0]!;

        Assert.Equal(Codes(zh["reasons"]!), Codes(en["reasons"]!));
        Assert.Equal(
            [
                "最低利率年化 3.85 %，在符合条件的产品中最低",
                "该行是本产业链的主办行（一链一行）",
                "无需担保",
                "专为本产业链设计",
                "可贷金额 10 万元 至 500 万元，覆盖您申请的 120 万元",
                "期限 30 至 365 天，符合您申请的 90 天",
                "在湖北省提供，覆盖您所在的湖北省武汉市",
            ],
            Messages(zh["reasons"]!));
        Assert.Equal("Rate from 3.85 % a year, the lowest among eligible products", Messages(en["reasons"]!)[0]);
        Assert.Equal("Lends CNY 100,000.00 to CNY 5 million, covering the CNY 1.2 million you ask for", Messages(en["reasons"]!)[4]);
        Assert.Equal("中国银行湖北省分行", zh["institutionName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Matches_NothingMatches_NearMissesSayWhatWouldHaveToChange()
    {
        var product = await _w.B.CreateProductAsync(ProductData.Product("普惠信用贷", type: "creditLoan", maxAmount: 5_000_000m));
        await _w.C.CreateProductAsync(ProductData.Product("其他链专属", chainIds: [_w.OtherChain], maxAmount: 5_000_000m));
        var request = await _w.RequestAsync(b => b.With("amount", 6_000_000m));
        var url = $"/api/v1/financing-requests/{request}/matches";

        var zh = await (await _w.SmeClient.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        var en = await (await SendAsync(_w.SmeClient, HttpMethod.Get, url, "en")).ExpectAsync(HttpStatusCode.OK);

        Assert.Empty(zh["items"]!.AsArray());
        var miss = Assert.Single(zh["nearMisses"]!.AsArray())!;
        Assert.Equal(product, miss["productId"]!.GetValue<string>());
        Assert.Equal("普惠信用贷", miss["productName"]!.GetValue<string>());
        Assert.Equal(_w.BankB, miss["institutionId"]!.GetValue<string>());
        Assert.Equal("中国银行湖北省分行", miss["institutionName"]!.GetValue<string>());
        Assert.Equal(["ruleAmountAboveMaximum"], Codes(miss["failedRules"]!));
        Assert.Equal(["金额 600 万元超过该产品上限 500 万元"], Messages(miss["failedRules"]!));
        var english = en["nearMisses"]![0]!["failedRules"]![0]!;
        Assert.Equal("ruleAmountAboveMaximum", english["code"]!.GetValue<string>());
        Assert.Equal("The amount of CNY 6 million is above this product's maximum of CNY 5 million", english["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task NearMisses_SayOnlyWhatTheRequestSays_AndNoOneElseReadsThem()
    {
        await _w.B.CreateProductAsync(ProductData.Product("普惠信用贷", type: "creditLoan", maxAmount: 5_000_000m));
        var other = await _w.OtherSmeClient.CreateRequestAsync(ProductData.Request(_w.Chain, amount: 9_000_000m, termDays: 300));
        var request = await _w.RequestAsync(b => b.With("amount", 6_000_000m));
        var url = $"/api/v1/financing-requests/{request}/matches";

        var matches = await (await _w.SmeClient.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        var said = string.Join("|", matches["nearMisses"]!.AsArray().SelectMany(m => Messages(m!["failedRules"]!)));
        Assert.Contains("600 万元", said, StringComparison.Ordinal);
        Assert.DoesNotContain("900 万元", said, StringComparison.Ordinal);
        Assert.DoesNotContain(other, matches.ToJsonString(), StringComparison.Ordinal);

        // Tenancy is unchanged: another enterprise, and a bank whose product the request only nearly fits, get 404.
        await (await _w.OtherSmeClient.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _w.B.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        using var anonymous = _app.CreateClient();
        await (await anonymous.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Matches_FiveOrMoreMatches_NoNearMisses()
    {
        for (var i = 0; i < 5; i++)
        {
            await _w.B.CreateProductAsync(ProductData.Product($"信用贷 {i}", type: "creditLoan", minRateBps: 400 + i));
        }

        await _w.B.CreateProductAsync(ProductData.Product("大额信用贷", type: "creditLoan", minAmount: 1_000_000m));
        var request = await _w.RequestAsync();

        var matches = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{request}/matches?limit=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, matches["items"]!.AsArray().Count);
        Assert.Empty(matches["nearMisses"]!.AsArray());
    }

    [Fact]
    public async Task Conflict_SameCodeInBothLanguages()
    {
        var request = await _w.RequestAsync();
        var url = $"/api/v1/financing-requests/{request}/withdraw";
        await (await _w.SmeClient.PostAsync(url, null)).ExpectAsync(HttpStatusCode.OK);

        var zh = await (await _w.SmeClient.PostAsync(url, null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var en = await (await SendAsync(_w.SmeClient, HttpMethod.Post, url, "en")).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("requestNotWithdrawable", zh["code"]!.GetValue<string>());
        Assert.Equal("requestNotWithdrawable", en["code"]!.GetValue<string>());
        Assert.Equal("与当前状态冲突", zh["title"]!.GetValue<string>());
        Assert.Equal("这笔融资需求已撤回，不能再撤回。", zh["detail"]!.GetValue<string>());
        Assert.Equal("Conflict", en["title"]!.GetValue<string>());
        Assert.Equal("The request is withdrawn and can no longer be withdrawn.", en["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task FrameworkValidation_LocalisedWithCodes()
    {
        var body = ProductData.Request(_w.Chain).With("termDays", 0).With("purpose", "");

        var zh = await (await _w.SmeClient.PostJsonAsync("/api/v1/financing-requests", body)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var en = await (await SendAsync(_w.SmeClient, HttpMethod.Post, "/api/v1/financing-requests", "en", body)).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("validationFailed", zh["code"]!.GetValue<string>());
        Assert.Equal("提交的内容有误，请按各字段的提示修改。", zh["title"]!.GetValue<string>());
        Assert.Equal("必填", zh["errors"]!["purpose"]![0]!.GetValue<string>());
        Assert.Equal("须在 1 到 3650 之间", zh["errors"]!["termDays"]![0]!.GetValue<string>());
        Assert.Equal("fieldRequired", zh["errorCodes"]!["purpose"]![0]!.GetValue<string>());
        Assert.Equal("fieldRange", zh["errorCodes"]!["termDays"]![0]!.GetValue<string>());
        Assert.Equal("is required", en["errors"]!["purpose"]![0]!.GetValue<string>());
        Assert.Equal("must lie between 1 and 3650", en["errors"]!["termDays"]![0]!.GetValue<string>());
        Assert.Equal("fieldRange", en["errorCodes"]!["termDays"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task OwnValidationAttributes_LocalisedWithCodes()
    {
        // A negative amount passes the JSON reader (which checks only the decimals written) and is refused by [Yuan].
        var body = ProductData.Request(_w.Chain).With("amount", -5m);

        var zh = await (await _w.SmeClient.PostJsonAsync("/api/v1/financing-requests", body)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var en = await (await SendAsync(_w.SmeClient, HttpMethod.Post, "/api/v1/financing-requests", "en", body)).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("金额不能为负数", zh["errors"]!["amount"]![0]!.GetValue<string>());
        Assert.Equal("must not be negative", en["errors"]!["amount"]![0]!.GetValue<string>());
        Assert.Equal("amountNegative", zh["errorCodes"]!["amount"]![0]!.GetValue<string>());
        Assert.Equal("amountNegative", en["errorCodes"]!["amount"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Unauthorized_Forbidden_NotFound_HaveCodesAndLocalisedTitles()
    {
        using var anonymous = _app.CreateClient();
        var unauthorized = await (await anonymous.GetAsync("/api/v1/chains")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("unauthorized", unauthorized["code"]!.GetValue<string>());
        Assert.Equal("未登录或密钥无效", unauthorized["title"]!.GetValue<string>());

        var forbidden = await (await SendAsync(_w.SmeClient, HttpMethod.Post, "/api/v1/chains", "en", TestData.Chain())).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", forbidden["code"]!.GetValue<string>());
        Assert.Equal("Forbidden", forbidden["title"]!.GetValue<string>());
        Assert.Equal("Your role may not do this.", forbidden["detail"]!.GetValue<string>());

        var route = await (await _w.SmeClient.GetAsync("/api/v1/no-such-thing")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("routeNotFound", route["code"]!.GetValue<string>());
        Assert.Equal("未找到", route["title"]!.GetValue<string>());

        var entity = await (await _w.SmeClient.GetAsync($"/api/v1/financing-requests/{TestData.UnknownId("frq")}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("financingRequestNotFound", entity["code"]!.GetValue<string>());
        Assert.Equal("没有这笔融资需求。", entity["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task TooManyRequests_HasCodeAndLocalisedTexts()
    {
        using var app = new FinanceChainApp(settings: new Dictionary<string, string?> { ["RateLimiting:PermitsPerMinute"] = "1" });
        using var client = app.CreateClient();
        await client.GetAsync("/api/v1/chains");

        var zh = await (await client.GetAsync("/api/v1/chains")).ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("tooManyRequests", zh["code"]!.GetValue<string>());
        Assert.Equal("请求过于频繁", zh["title"]!.GetValue<string>());
        Assert.Contains("每分钟最多 1 次请求", zh["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PayloadTooLarge_HasCodeAndLocalisedTexts()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chains") { Content = new ByteArrayContent(new byte[1024 * 1024 + 1]) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.AcceptLanguage.ParseAdd("en");
        var problem = await (await _w.Admin.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("payloadTooLarge", problem["code"]!.GetValue<string>());
        Assert.Equal("Payload too large", problem["title"]!.GetValue<string>());
        Assert.Equal("The request body is larger than allowed (1048576 bytes).", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownLanguage_FallsBackToChinese()
    {
        var problem = await (await SendAsync(_w.SmeClient, HttpMethod.Get, $"/api/v1/offers/{TestData.UnknownId("ofr")}", "fr-FR")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("没有这个报价。", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("fr-FR")]
    public async Task Api_IgnoresThePagesLanguageCookie(string? language)
    {
        // A browser signed in to the pages in English sends the language cookie with its API calls too.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/offers/{TestData.UnknownId("ofr")}");
        request.Headers.Add("Cookie", ".AspNetCore.Culture=c%3Den%7Cuic%3Den");
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        var problem = await (await _w.SmeClient.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("没有这个报价。", problem["detail"]!.GetValue<string>());
    }

    internal static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string language, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.AcceptLanguage.ParseAdd(language);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request);
    }

    private static List<string> Codes(JsonNode list) => list.AsArray().Select(r => r!["code"]!.GetValue<string>()).ToList();

    private static List<string> Messages(JsonNode list) => list.AsArray().Select(r => r!["message"]!.GetValue<string>()).ToList();
}
