using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FinanceChain.Api.Http;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Webhooks;
using FinanceChain.Api.Webhooks;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FinanceChain.Api.Tests.Operations;

/// <summary>What a client generator reads in /openapi/v1.json, checked against what the service does.</summary>
public sealed partial class OpenApiDocumentTests : IDisposable
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private readonly FinanceChainApp _app = new(configureServices: services =>
    {
        services.RemoveAll<IWebhookDnsResolver>();
        services.AddSingleton<IWebhookDnsResolver>(new FakeDnsResolver().Answer("fc-hooks.bank.example.cn", "8.8.8.8"));
    });

    public void Dispose() => _app.Dispose();

    private async Task<JsonNode> DocumentAsync() =>
        await (await _app.ClientWithKey(null).GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);

    private static IEnumerable<(string Path, string Method, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => Methods
            .Where(m => path.Value![m] is not null)
            .Select(m => (path.Key, m, path.Value![m]!)));

    [Fact]
    public async Task EveryOperation_HasAUniqueOperationId()
    {
        var ids = Operations(await DocumentAsync()).Select(o => o.Operation["operationId"]?.GetValue<string>()).ToList();

        Assert.All(ids, id => Assert.Matches("^[a-z][A-Za-z0-9]+$", id ?? ""));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("createProduct", ids);
        Assert.Contains("getHealthReady", ids);
    }

    [Fact]
    public async Task IfMatch_IsRequiredWhereTheApiAnswers428()
    {
        var document = await DocumentAsync();
        foreach (var (path, method, operation) in Operations(document))
        {
            var ifMatch = operation["parameters"]?.AsArray().FirstOrDefault(p => p!["name"]!.GetValue<string>() == "If-Match");
            if (operation["responses"]!["428"] is not null)
            {
                Assert.True(ifMatch?["required"]?.GetValue<bool>() == true, $"{method} {path} answers 428 but does not require If-Match");
                Assert.Equal("header", ifMatch!["in"]!.GetValue<string>());
            }
        }

        var replace = document["paths"]!["/api/v1/products/{id}"]!["put"]!;
        Assert.Contains(replace["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "If-Match" && p["required"]!.GetValue<bool>());
        var approve = document["paths"]!["/api/v1/rosters/{period}/approve"]!["post"]!;
        Assert.Contains(approve["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "If-Match" && p["required"]?.GetValue<bool>() != true);
    }

    [Fact]
    public async Task ResponseHeaders_LocationOnEveryCreated_RetryAfterOnEvery429_ETagWhereSent()
    {
        var document = await DocumentAsync();
        foreach (var (path, method, operation) in Operations(document))
        {
            var responses = operation["responses"]!;
            if (responses["201"] is { } created)
            {
                Assert.True(created["headers"]?["Location"] is not null, $"{method} {path}: 201 without Location");
            }

            if (!path.StartsWith("/health/", StringComparison.Ordinal))
            {
                Assert.True(responses["429"]?["headers"]?["Retry-After"] is not null, $"{method} {path}: no 429 with Retry-After");
                Assert.True(responses["429"]!["content"]?["application/problem+json"] is not null, $"{method} {path}: 429 is not a problem");
            }

            if (operation["requestBody"] is not null)
            {
                Assert.True(responses["413"]?["content"]?["application/problem+json"] is not null, $"{method} {path}: takes a body but no 413");
            }
        }

        var paths = document["paths"]!;
        Assert.NotNull(paths["/api/v1/products/{id}"]!["get"]!["responses"]!["200"]!["headers"]!["ETag"]);
        Assert.NotNull(paths["/api/v1/products/{id}"]!["put"]!["responses"]!["200"]!["headers"]!["ETag"]);
        Assert.NotNull(paths["/api/v1/products"]!["post"]!["responses"]!["201"]!["headers"]!["ETag"]);
        Assert.NotNull(paths["/api/v1/rosters/{period}"]!["get"]!["responses"]!["200"]!["headers"]!["ETag"]);
        Assert.Null(paths["/api/v1/chains/{id}"]!["get"]!["responses"]!["200"]!["headers"]?["ETag"]);
    }

    [Fact]
    public async Task DeclaredETags_AreWhatTheServiceSends()
    {
        var admin = await _app.ClientAsync(Role.Admin);
        var bank = await _app.ClientAsync(Role.Bank, institutionId: await admin.CreateInstitutionAsync());
        var document = await DocumentAsync();
        var body = document["paths"]!["/api/v1/products"]!["post"]!["requestBody"]!["content"]!["application/json"]!["examples"]!["example"]!["value"]!.DeepClone();
        body["chainIds"] = new JsonArray();

        var created = await bank.PostRawAsync("/api/v1/products", body.ToJsonString());
        var product = await created.ExpectAsync(HttpStatusCode.Created);
        Assert.NotNull(created.Headers.ETag);
        Assert.NotNull(created.Headers.Location);

        var read = await bank.GetAsync($"/api/v1/products/{product["id"]!.GetValue<string>()}");
        await read.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(created.Headers.ETag, read.Headers.ETag);
    }

    [Fact]
    public async Task PublicRoutes_NeedNoKey_EveryOtherTheApiKey()
    {
        var document = await DocumentAsync();
        Assert.Equal("X-Api-Key", document["components"]!["securitySchemes"]!["ApiKey"]!["name"]!.GetValue<string>());
        Assert.NotNull(document["security"]![0]!["ApiKey"]);

        var open = new HashSet<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            if (operation["security"] is JsonArray { Count: 0 })
            {
                open.Add($"{method} {path}");
                var client = _app.ClientWithKey(null);
                if (method == "get")
                {
                    var response = await client.GetAsync(path);
                    Assert.True(response.StatusCode is not HttpStatusCode.Unauthorized, $"{path} is declared public but answers 401");
                }
            }
            else
            {
                Assert.Null(operation["security"]);
            }
        }

        Assert.Equal(new HashSet<string> { "get /health/live", "get /health/ready", "get /api/v1/rosters/published/latest" }, open);
    }

    [Fact]
    public async Task Money_IsADecimalInHundredths_NeverADouble()
    {
        var document = await DocumentAsync();
        var amounts = 0;
        foreach (var (schemaName, schema) in document["components"]!["schemas"]!.AsObject())
        {
            foreach (var (name, property) in schema!["properties"]?.AsObject() ?? [])
            {
                var type = property!["type"]?.ToJsonString() ?? "";
                if (!type.Contains("\"number\"", StringComparison.Ordinal) || name == "score")
                {
                    continue;
                }

                amounts++;
                Assert.True(property["format"]?.GetValue<string>() == "decimal", $"{schemaName}.{name} is a number but not a decimal");
                Assert.Equal(0.01m, property["multipleOf"]!.GetValue<decimal>());
                Assert.Contains("at most 2 decimals", property["description"]!.GetValue<string>());
            }
        }

        Assert.True(amounts > 20, $"only {amounts} amounts found");
        Assert.Equal("\"number\"", document["components"]!["schemas"]!["MatchResponse"]!["properties"]!["score"]!["type"]!.ToJsonString());
    }

    [Fact]
    public async Task RosterDownloads_AreDeclaredAsCsvAndXlsx()
    {
        var latest = (await DocumentAsync())["paths"]!["/api/v1/rosters/published/latest"]!["get"]!;
        var content = latest["responses"]!["200"]!["content"]!.AsObject();

        Assert.Equal(["application/json", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"], content.Select(c => c.Key));
        Assert.Equal("binary", content["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]!["schema"]!["format"]!.GetValue<string>());
        var format = latest["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "format")!;
        Assert.Equal("[\"json\",\"csv\",\"xlsx\"]", format["schema"]!["enum"]!.ToJsonString());
    }

    [Fact]
    public async Task ProblemSchemas_CarryTheirCodes()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;
        Assert.NotNull(schemas["ProblemDetails"]!["properties"]!["code"]);
        Assert.NotNull(schemas["HttpValidationProblemDetails"]!["properties"]!["code"]);
        Assert.NotNull(schemas["HttpValidationProblemDetails"]!["properties"]!["errorCodes"]);
    }

    /// <summary>
    /// Every request example in the document, sent with each role's key to the service with real ids in place of the
    /// example's: none is a 400, and each gets past authorisation for at least one role (so its body was checked).
    /// </summary>
    [Fact]
    public async Task RequestExamples_PassTheApisOwnValidation()
    {
        var admin = await _app.ClientAsync(Role.Admin);
        var chain = await admin.CreateChainAsync();
        var institution = await admin.CreateInstitutionAsync();
        var enterprise = await admin.CreateEnterpriseAsync(chain);
        var core = await admin.CreateEnterpriseAsync(chain, role: "core");
        var clients = new Dictionary<string, HttpClient>
        {
            ["admin"] = admin,
            ["regulator"] = await _app.ClientAsync(Role.Regulator),
            ["bank"] = await _app.ClientAsync(Role.Bank, institutionId: institution),
            ["supplier"] = await _app.ClientAsync(Role.Enterprise, enterpriseId: enterprise),
            ["core enterprise"] = await _app.ClientAsync(Role.Enterprise, enterpriseId: core),
        };
        var document = await DocumentAsync();
        var product = (await (await clients["bank"].PostRawAsync("/api/v1/products",
            Real(ExampleOf(document, "/api/v1/products", "post")!, chain, institution, enterprise, core, null).ToJsonString())).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();

        var tried = 0;
        foreach (var (path, method, operation) in Operations(document))
        {
            if (ExampleOf(document, path, method) is not { } example)
            {
                continue;
            }

            tried++;
            var body = Real(example, chain, institution, enterprise, core, product).ToJsonString();
            var url = PathParameter().Replace(path, m => m.Value switch
            {
                "{period}" => "2026H1",
                "{id}" when path.StartsWith("/api/v1/chains/", StringComparison.Ordinal) => chain,
                "{id}" when path.StartsWith("/api/v1/enterprises/", StringComparison.Ordinal) => enterprise,
                "{id}" when path.StartsWith("/api/v1/products/", StringComparison.Ordinal) => product,
                _ => TestData.UnknownId("unk"),
            });
            // The example's caller is the first role past authorisation (a note is issued by the core enterprise, a
            // receivable registered by the supplier); its answer must not be a 400. Another role's may be, for a
            // rule about the caller (a core enterprise is not its own debtor), but never for the body's form.
            string? caller = null;
            foreach (var (role, client) in clients)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                if (method == "put" && (await client.GetAsync(url)).Headers.ETag is { } etag)
                {
                    request.Headers.IfMatch.Add(etag);
                }

                var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    continue;
                }

                if (caller is null)
                {
                    caller = role;
                    Assert.True(response.StatusCode != HttpStatusCode.BadRequest, $"{method} {path} as {role}: the document's example is a 400: {text}");
                }
                else if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    Assert.DoesNotContain("\"json", text, StringComparison.Ordinal);
                }
            }

            Assert.True(caller is not null, $"{method} {path}: no role got past authorisation, so the example was never validated");
        }

        Assert.True(tried >= 15, $"only {tried} request examples in the document");
    }

    private static JsonNode? ExampleOf(JsonNode document, string path, string method) =>
        document["paths"]![path]?[method]?["requestBody"]?["content"]?["application/json"]?["examples"]?["example"]?["value"];

    /// <summary>
    /// The example with its ids replaced by those of a real chain, institution, product and two enterprises: the
    /// caller's (a supplier) and a core enterprise of the chain.
    /// </summary>
    private static JsonNode Real(JsonNode example, string chain, string institution, string supplier, string core, string? product) =>
        JsonNode.Parse(ExampleId().Replace(example.ToJsonString(), m => m.Value switch
        {
            OpenApiRequestExamples.Chain => chain,
            OpenApiRequestExamples.Institution => institution,
            OpenApiRequestExamples.Supplier => supplier,
            OpenApiRequestExamples.Core => core,
            OpenApiRequestExamples.Product => product ?? m.Value,
            _ => m.Value,
        }))!;

    [GeneratedRegex(@"\{[a-zA-Z]+\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"\b([a-z]{3})_[0-9a-f]{32}\b")]
    private static partial Regex ExampleId();
}
