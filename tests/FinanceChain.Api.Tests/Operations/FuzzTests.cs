using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;

namespace FinanceChain.Api.Tests.Operations;

/// <summary>
/// Bad input of any shape never gives a 5xx: every body field of every route in the OpenAPI document is
/// replaced in turn by wrong types, huge numbers, huge strings, nulls and control characters, and sent
/// by every role. Routes added later are covered without touching this test.
/// </summary>
public sealed class FuzzTests
{
    private static readonly JsonNode?[] BadValues =
    [
        null,
        "",
        new string('x', 20_000),
        "\u0000\u0007\u001b[31m",
        "'; DROP TABLE chains; --",
        1e308,
        -1,
        0,
        1.123456789,
        long.MaxValue,
        true,
        new JsonObject(),
        new JsonArray(1, "x", null),
        "9999-99-99",
        "2026-02-30",
        "0000-01-01",
        "0000-01-01T00:00:00Z",
        "ADMIN",
    ];

    [Fact]
    public async Task EveryBodyField_WithBadValues_NeverGives5xx()
    {
        using var app = new FinanceChainApp();
        var admin = await app.ClientAsync(Role.Admin);
        var chain = await admin.CreateChainAsync();
        var bank = await admin.CreateInstitutionAsync();
        var enterprise = await admin.CreateEnterpriseAsync(chain, "core");
        var clients = new[]
        {
            admin,
            await app.ClientAsync(Role.Regulator),
            await app.ClientAsync(Role.Bank, institutionId: bank),
            await app.ClientAsync(Role.Enterprise, enterpriseId: enterprise),
        };

        var document = await (await admin.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var schemas = document["components"]!["schemas"]!.AsObject();
        var failures = new List<string>();
        var sent = 0;

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var schemaRef = operation?["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
                if (schemaRef is null || method is not ("post" or "put"))
                {
                    continue;
                }

                var schema = schemas[schemaRef.Split('/').Last()]!;
                var url = path.Replace("{id}", chain, StringComparison.Ordinal).Replace("{period}", "2026H1", StringComparison.Ordinal);
                foreach (var body in Mutations(schema, schemas))
                {
                    foreach (var client in clients)
                    {
                        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url)
                        {
                            Content = new StringContent(body, Encoding.UTF8, "application/json"),
                        };
                        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
                        request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString());
                        var response = await client.SendAsync(request);
                        sent++;
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"{method.ToUpperInvariant()} {path} {(int)response.StatusCode} with {Truncate(body)}: {Truncate(await response.Content.ReadAsStringAsync())}");
                        }
                    }
                }
            }
        }

        Assert.True(sent > 100, $"Only {sent} requests were sent; the OpenAPI walk is broken.");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    private static IEnumerable<string> Mutations(JsonNode schema, JsonObject schemas)
    {
        var valid = Skeleton(schema, schemas, depth: 0) as JsonObject ?? new JsonObject();
        yield return valid.ToJsonString();
        yield return "null";
        yield return "[]";
        yield return "\"text\"";
        yield return "{";
        foreach (var property in valid.Select(p => p.Key).ToList())
        {
            foreach (var bad in BadValues)
            {
                var copy = (JsonObject)valid.DeepClone();
                copy[property] = bad?.DeepClone();
                yield return copy.ToJsonString();
            }

            var without = (JsonObject)valid.DeepClone();
            without.Remove(property);
            yield return without.ToJsonString();
        }
    }

    /// <summary>A plausible value for a schema: enough to get past JSON binding so that each field is tried alone.</summary>
    private static JsonNode? Skeleton(JsonNode schema, JsonObject schemas, int depth)
    {
        if (depth > 4)
        {
            return null;
        }

        if (schema["$ref"] is { } reference)
        {
            return Skeleton(schemas[reference.GetValue<string>().Split('/').Last()]!, schemas, depth + 1);
        }

        if (schema["enum"] is JsonArray values && values.Count > 0)
        {
            return values[0]?.DeepClone();
        }

        if (schema["oneOf"] is JsonArray oneOf)
        {
            var notNull = oneOf.FirstOrDefault(s => s?["type"]?.ToString() != "null");
            return notNull is null ? null : Skeleton(notNull, schemas, depth + 1);
        }

        var type = schema["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
            JsonValue single => single.GetValue<string>(),
            _ => schema["properties"] is not null ? "object" : null,
        };

        return type switch
        {
            "object" => new JsonObject((schema["properties"]?.AsObject() ?? [])
                .Select(p => KeyValuePair.Create(p.Key, Skeleton(p.Value!, schemas, depth + 1)))),
            "array" => new JsonArray(),
            "string" => schema["format"]?.GetValue<string>() switch
            {
                "date" => "2026-06-30",
                "date-time" => "2026-06-30T00:00:00Z",
                _ => "420100",
            },
            "integer" => 1,
            "number" => 1,
            "boolean" => false,
            _ => null,
        };
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
