using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinanceChain.Api.Http;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Notes;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Api.Tests.Operations;

/// <summary>
/// Input is taken as written: money from the JSON token's text, enum names exactly, instants and dates only
/// within what the database stores. Each refusal is a 400 keyed by the field, never a 500, never a rounding.
/// </summary>
public sealed class ExactInputTests
{
    private const string HiddenDecimals = "0.0099999999999999999999999999999";

    private static JsonSerializerOptions Options()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonSetup.Configure(options);
        return options;
    }

    private static string ErrorCode(JsonNode problem, string field) => problem["errorCodes"]![field]![0]!.GetValue<string>();

    [Fact]
    public async Task Money_WithDecimalsThatRoundAway_Is400_AndNothingIsStored()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);
        var body = JsonSerializer.Serialize(TestData.Enterprise()).Replace("\"annualRevenue\":10000000", $"\"annualRevenue\":{HiddenDecimals}", StringComparison.Ordinal);
        Assert.Contains(HiddenDecimals, body, StringComparison.Ordinal);

        var response = await admin.PostRawAsync("/api/v1/enterprises", body);

        await response.ExpectValidationErrorAsync("annualRevenue");
        Assert.Equal(HttpCodes.MoneyTooPrecise, ErrorCode(await response.JsonAsync(), "annualRevenue"));
        var enterprises = await (await admin.GetAsync("/api/v1/enterprises")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(enterprises["items"]!.AsArray());
    }

    /// <summary>Every money field of every request: all of them are decimals, and every decimal is read exactly.</summary>
    [Fact]
    public void EveryMoneyField_OfEveryRequestBody_RefusesHiddenDecimals()
    {
        var options = Options();
        using var app = new FinanceChainApp();
        var bodies = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .SelectMany(e => e.Metadata.OfType<IAcceptsMetadata>())
            .Select(m => m.RequestType)
            .OfType<Type>()
            .Distinct();
        var moneyFields = bodies
            .SelectMany(t => t.GetProperties().Where(p => (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) == typeof(decimal)).Select(p => (Type: t, Property: p)))
            .ToList();
        Assert.True(moneyFields.Count >= 8, $"Only {moneyFields.Count} money fields found.");

        foreach (var (type, property) in moneyFields)
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var error = Assert.Throws<JsonInputException>(() => JsonSerializer.Deserialize($"{{\"{name}\":{HiddenDecimals}}}", type, options));
            Assert.Equal(HttpCodes.MoneyTooPrecise, error.Code);
            Assert.Equal($"$.{name}", error.Path);
            Assert.True(HasYuanAttribute(type, property), $"{type.Name}.{property.Name} is a decimal without [Yuan]: every request decimal is an amount in yuan.");
        }
    }

    [Theory]
    [InlineData("1250000.5", 1_250_000.5)]
    [InlineData("1.500", 1.5)]
    [InlineData("1.2345e2", 123.45)]
    [InlineData("12345E-2", 123.45)]
    [InlineData("1e13", 10_000_000_000_000)]
    [InlineData("0", 0)]
    [InlineData("0.000e-99999999999999", 0)]
    [InlineData("-2.5", -2.5)]
    public void ExactMoney_ReadsWhatIsWritten(string text, double expected) =>
        Assert.Equal((decimal)expected, ExactMoneyConverter.Parse(text));

    [Theory]
    [InlineData(HiddenDecimals, HttpCodes.MoneyTooPrecise)]
    [InlineData("0.001", HttpCodes.MoneyTooPrecise)]
    [InlineData("1e-3", HttpCodes.MoneyTooPrecise)]
    [InlineData("123.4567e1", HttpCodes.MoneyTooPrecise)]
    [InlineData("1.00000000000000000000000000000001", HttpCodes.MoneyTooPrecise)]
    [InlineData("1e14", HttpCodes.MoneyOutOfRange)]
    [InlineData("12345678901234567890123456789012", HttpCodes.MoneyOutOfRange)]
    [InlineData("1e99999999999999999", HttpCodes.MoneyOutOfRange)]
    public void ExactMoney_RefusesWhatRoundingWouldHide(string text, string code) =>
        Assert.Equal(code, Assert.Throws<JsonInputException>(() => ExactMoneyConverter.Parse(text)).Code);

    [Theory]
    [InlineData("ADMIN")]
    [InlineData("Admin")]
    [InlineData("admin ")]
    public async Task Enum_NotWrittenExactly_Is400(string role)
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);

        var response = await admin.PostJsonAsync("/api/v1/keys", new { role, name = "other spelling" });

        await response.ExpectValidationErrorAsync("role");
        Assert.Equal(HttpCodes.EnumValueNotExact, ErrorCode(await response.JsonAsync(), "role"));
        var keys = await (await admin.GetAsync("/api/v1/keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(keys["items"]!.AsArray());
    }

    [Fact]
    public async Task Enum_WrittenExactly_IsAccepted_AndWrittenBackTheSame()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);

        var created = await (await admin.PostJsonAsync("/api/v1/keys", new { role = "regulator", name = "exact" })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("regulator", created["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Enum_InAQuery_NotWrittenExactly_Is400()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);

        await (await admin.GetAsync("/api/v1/products?type=Factoring")).ExpectValidationErrorAsync("type");
        await (await admin.GetAsync("/api/v1/products?type=factoring")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("from", "0000-01-01T00:00:00Z", HttpCodes.InstantOutOfRange)]
    [InlineData("to", "-0001-12-31T00:00:00Z", HttpCodes.InstantOutOfRange)]
    [InlineData("from", "2026-13-01T00:00:00Z", HttpCodes.InstantInvalid)]
    public async Task Audit_InstantOutsideWhatIsStored_Is400(string field, string value, string code)
    {
        using var app = new FinanceChainApp();
        var regulator = await app.ClientAsync(Role.Regulator);

        var response = await regulator.GetAsync($"/api/v1/audit?{field}={Uri.EscapeDataString(value)}");

        await response.ExpectValidationErrorAsync(field);
        Assert.Equal(code, ErrorCode(await response.JsonAsync(), field));
    }

    [Fact]
    public async Task Audit_InstantsAtTheEndsOfTheRange_Are200()
    {
        using var app = new FinanceChainApp();
        var regulator = await app.ClientAsync(Role.Regulator);

        await (await regulator.GetAsync("/api/v1/audit?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Date_InABody_OutsideWhatIsStored_Is400()
    {
        var world = new NotesWorld();
        await world.InitializeAsync();
        try
        {
            var body = JsonSerializer.Serialize(new { debtorId = world.CoreId, amount = 1000m, dueDate = "0000-01-01", invoiceNumbers = new[] { "42010000000012345678" } });

            var response = await world.Supplier.PostRawAsync("/api/v1/receivables", body);

            await response.ExpectValidationErrorAsync("dueDate");
            Assert.Equal(HttpCodes.DateOutOfRange, ErrorCode(await response.JsonAsync(), "dueDate"));
        }
        finally
        {
            await world.DisposeAsync();
        }
    }

    [Fact]
    public void Instant_InABody_OutsideWhatIsStored_IsRefused()
    {
        var options = Options();
        var error = Assert.Throws<JsonInputException>(() => JsonSerializer.Deserialize<NodaTime.Instant>("\"0000-06-01T00:00:00Z\"", options));
        Assert.Equal(HttpCodes.InstantOutOfRange, error.Code);
        Assert.Equal(StorableRange.MaxInstant, JsonSerializer.Deserialize<NodaTime.Instant>(JsonSerializer.Serialize(StorableRange.MaxInstant, options), options));
    }

    [Fact]
    public async Task OpenApi_StillDescribesEnumsAndMoney()
    {
        using var app = new FinanceChainApp();
        var document = await (await app.ClientWithKey(null).GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var schemas = document["components"]!["schemas"]!.AsObject();

        var role = schemas["CreateKeyRequest"]!["properties"]!["role"]!;
        var roleSchema = role["$ref"] is { } reference ? schemas[reference.GetValue<string>().Split('/').Last()]! : role;
        Assert.Equal(["admin", "bank", "enterprise", "regulator"], roleSchema["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Contains("number", schemas["CreateNoteRequest"]!["properties"]!["amount"]!["type"]!.ToJsonString(), StringComparison.Ordinal);
    }

    private static bool HasYuanAttribute(Type type, PropertyInfo property) =>
        property.GetCustomAttribute<YuanAttribute>() is not null
        || type.GetConstructors().SelectMany(c => c.GetParameters())
            .Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase) && p.GetCustomAttribute<YuanAttribute>() is not null)
        || property.GetCustomAttributes<ValidationAttribute>().OfType<YuanAttribute>().Any();
}
