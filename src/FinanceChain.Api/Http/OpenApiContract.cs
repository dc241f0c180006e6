using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using FinanceChain.Api.Roster;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace FinanceChain.Api.Http;

/// <summary>Marks an endpoint whose successful answer carries the resource's <c>ETag</c>.</summary>
public sealed class ETagResponseMetadata
{
    /// <summary>The one instance endpoints share.</summary>
    public static readonly ETagResponseMetadata Instance = new();
}

/// <summary>
/// What the OpenAPI document says about the HTTP contract beyond each endpoint's body types, derived in one place
/// from the endpoints' metadata so that a client generator can trust it: operation ids, <c>If-Match</c>, response
/// headers (<c>ETag</c>, <c>Location</c>, <c>Retry-After</c>), the 413 and 429 every limited route can answer,
/// who needs no key, the roster's file downloads, tags with their descriptions, the health probes and money.
/// </summary>
internal static class OpenApiContract
{
    public const string ProblemJson = "application/problem+json";
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>Written beside every amount: the schema alone cannot say "exactly two decimals, no rounding".</summary>
    public const string MoneyNote = "Money in yuan (元): a JSON number with at most 2 decimals (fen), e.g. 1250000.5; stored exactly as integer fen, never as a float. More decimals are a 400.";

    /// <summary>Tags and what each groups; a tag used by an endpoint but missing here fails the document's lint.</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Operations"] = "Liveness and readiness probes for load balancers and orchestrators; no key needed, not rate-limited.",
        ["Keys"] = "API keys: created by admin, shown once, stored hashed; revoking a key ends its sessions.",
        ["Chains"] = "Key industrial chains and their lead bank (一链一行), with the pairing history.",
        ["Institutions"] = "Financial institutions (banks) that post products and make offers.",
        ["Enterprises"] = "Enterprises on the chains: core enterprises, their suppliers and distributors; size from the SME rules.",
        ["Products"] = "Banks' supply-chain finance products; PUT needs If-Match with the product's ETag.",
        ["Financing requests"] = "Enterprises' financing requests, their explained matches and near misses, offers and acceptance; the bank inbox.",
        ["Offers"] = "Banks' offers on financing requests and their acceptance.",
        ["Audit"] = "The append-only audit trail of every state change (regulator).",
        ["Receivables"] = "Receivables (应收账款) registered by suppliers and confirmed by their debtors.",
        ["Notes"] = "Supply-chain notes (供应链票据) in 0.01-yuan sub-note ranges: issue, pass on, discount, present, pay, recourse.",
        ["Roster"] = "The half-yearly lead-bank roster (名录): compiled, reviewed by the central-bank branch, published.",
        ["Webhooks"] = "Push instead of polling: signed event deliveries (Standard Webhooks) to a bank's or an enterprise's endpoint.",
        ["Me"] = "Who the caller's key belongs to.",
    };

    public static Task DocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        // A fixed address, so that the document (and a client generated from it) does not depend on who fetched it.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The service that serves this document." }];
        document.Paths ??= [];
        AddHealthProbes(document);

        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var operation in Operations(document))
        {
            foreach (var tag in operation.Tags ?? Enumerable.Empty<OpenApiTagReference>())
            {
                if (tag.Name is { } name)
                {
                    used.Add(name);
                }
            }
        }

        document.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag
        {
            Name = name,
            Description = TagDescriptions.GetValueOrDefault(name),
        }));

        MakeOperationIdsUnique(document);
        InlineNullableTimes(document);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A nullable instant or date comes out as <c>oneOf: [null, $ref Instant]</c>, which generators read as a
    /// polymorphic object (Kiota makes an empty <c>Instant</c> class of it): written as a nullable string instead.
    /// </summary>
    private static void InlineNullableTimes(OpenApiDocument document)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? Enumerable.Empty<IOpenApiSchema>())
        {
            if (schema is not OpenApiSchema { Properties: { } properties })
            {
                continue;
            }

            foreach (var (name, property) in properties.ToList())
            {
                if (property.OneOf is [var first, var second]
                    && first is OpenApiSchema { Type: JsonSchemaType.Null }
                    && second is OpenApiSchemaReference { Reference.Id: "Instant" or "LocalDate" } time)
                {
                    properties[name] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String | JsonSchemaType.Null,
                        Format = time.Reference.Id == "Instant" ? "date-time" : "date",
                        Description = time.Description,
                    };
                }
            }
        }
    }

    public static Task OperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        operation.OperationId ??= OperationIdOf(description);
        operation.Responses ??= [];
        operation.Parameters ??= [];

        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            // Public: overrides the document's X-Api-Key requirement.
            operation.Security = [];
        }

        var responses = operation.Responses;
        if (responses.ContainsKey("428"))
        {
            operation.Parameters.Add(IfMatch(required: true,
                "The `ETag` of the version the change is based on, as the API returned it (a strong tag, e.g. `\"3\"`). Missing: 428; another version or a weak tag: 412."));
        }
        else if (responses.ContainsKey("412"))
        {
            operation.Parameters.Add(IfMatch(required: false,
                "Optional: the `ETag` of the version reviewed (e.g. `\"3\"`); when given and the resource has changed since, 412 and nothing changes."));
        }

        if (operation.RequestBody is not null)
        {
            responses["413"] = Problem(context, "Payload Too Large: the request body is over the configured limit (1 MB by default).");
        }

        if (!metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            var tooMany = Problem(context, "Too Many Requests: the key's (or, without a valid key, the client address's) budget for this minute is spent.");
            tooMany.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader
                {
                    Description = "Whole seconds (at least 1) until a request may succeed again.",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" },
                },
            };
            responses["429"] = tooMany;
        }

        var etag = metadata.OfType<ETagResponseMetadata>().Any();
        foreach (var (status, response) in responses)
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            if (status == "201")
            {
                Header(concrete, "Location", "The path of the resource created, under /api/v1.", required: true);
            }

            if (etag && status is "200" or "201")
            {
                Header(concrete, "ETag", "The resource's version as a strong entity tag (e.g. `\"3\"`); send it back in `If-Match` to change it.", required: true);
            }
        }

        if (description.RelativePath == "api/v1/rosters/published/latest")
        {
            DescribeRosterDownloads(operation);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The operation id: the handler's method name without <c>Async</c>, in camelCase (<c>CreateProductAsync</c> →
    /// <c>createProduct</c>), which stays the same when a route is moved; for a lambda, the method and the route.
    /// </summary>
    internal static string OperationIdOf(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description)
    {
        var method = description.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault();
        if (method is not null && !method.Name.Contains('<', StringComparison.Ordinal))
        {
            var name = method.Name.EndsWith("Async", StringComparison.Ordinal) ? method.Name[..^"Async".Length] : method.Name;
            return char.ToLowerInvariant(name[0]) + name[1..];
        }

        return FromRoute(description.HttpMethod ?? "get", description.RelativePath ?? "");
    }

    /// <summary><c>GET api/v1/notes/{id}/history</c> → <c>getNotesByIdHistory</c>.</summary>
    internal static string FromRoute(string httpMethod, string path)
    {
        var id = new StringBuilder(httpMethod.ToLowerInvariant());
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment is "api" or "v1")
            {
                continue;
            }

            var word = segment.StartsWith('{') ? "By-" + segment.Trim('{', '}') : segment;
            foreach (var part in word.Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries))
            {
                id.Append(char.ToUpperInvariant(part[0])).Append(part[1..]);
            }
        }

        return id.ToString();
    }

    /// <summary>
    /// Two handlers of the same name in different features would give one id twice: both then take the id their
    /// method and route give, which is unique because the pair is.
    /// </summary>
    private static void MakeOperationIdsUnique(OpenApiDocument document)
    {
        var all = (document.Paths ?? []).SelectMany(path => (path.Value.Operations ?? []).Select(op => (Path: path.Key, Method: op.Key, Operation: op.Value))).ToList();
        foreach (var group in all.GroupBy(o => o.Operation.OperationId).Where(g => g.Count() > 1))
        {
            foreach (var (path, method, operation) in group)
            {
                operation.OperationId = FromRoute(method.Method, path);
            }
        }
    }

    private static IEnumerable<OpenApiOperation> Operations(OpenApiDocument document) =>
        (document.Paths ?? []).SelectMany(p => p.Value.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>());

    private static OpenApiParameter IfMatch(bool required, string description) => new()
    {
        Name = "If-Match",
        In = ParameterLocation.Header,
        Required = required,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        Example = JsonValue.Create("\"1\""),
    };

    private static void Header(OpenApiResponse response, string name, string description, bool required)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Required = required, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
    }

    private static OpenApiResponse Problem(OpenApiOperationTransformerContext context, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemJson] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), context.Document) },
        },
    };

    private static void DescribeRosterDownloads(OpenApiOperation operation)
    {
        if (operation.Parameters?.FirstOrDefault(p => p.Name == "format") is OpenApiParameter format)
        {
            format.Description = "`json` (the default), `csv` or `xlsx`.";
            format.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [JsonValue.Create("json"), JsonValue.Create("csv"), JsonValue.Create("xlsx")],
                Default = JsonValue.Create("json"),
            };
        }

        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
        {
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            // The media type without its parameters (RosterCsv.ContentType adds charset and header), as clients match it.
            response.Content["text/csv"] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "UTF-8 with a byte-order mark, a header row in the caller's language, one row per chain." },
            };
            response.Content[RosterDownloads.XlsxContentType] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The same table as an Excel workbook." },
            };
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["Content-Disposition"] = new OpenApiHeader
            {
                Description = "For csv and xlsx: `attachment; filename=roster-<period>.csv` (or `.xlsx`).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
    }

    /// <summary>
    /// The health probes are mapped as health checks, which the API explorer does not list: they are written here,
    /// as the service answers them (plain text, no key, no rate limit).
    /// </summary>
    private static void AddHealthProbes(OpenApiDocument document)
    {
        OpenApiPathItem Probe(string operationId, string summary, bool ready)
        {
            var responses = new OpenApiResponses
            {
                ["200"] = PlainText(ready ? "Healthy: the process answers and the database is reachable." : "The process answers."),
            };
            if (ready)
            {
                responses["503"] = PlainText("Unhealthy: the database is not reachable.");
            }

            return new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Get] = new()
                    {
                        OperationId = operationId,
                        Summary = summary,
                        Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
                        Security = [],
                        Responses = responses,
                    },
                },
            };
        }

        document.Paths["/health/live"] = Probe("getHealthLive", "Liveness probe.", ready: false);
        document.Paths["/health/ready"] = Probe("getHealthReady", "Readiness probe: the database is reachable.", ready: true);
    }

    private static OpenApiResponse PlainText(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("Healthy"), JsonValue.Create("Degraded"), JsonValue.Create("Unhealthy")] } },
        },
    };

    /// <summary>Adds <c>code</c> (and for validation problems <c>errorCodes</c>) to the problem schemas: every problem carries them.</summary>
    internal static void DescribeProblem(OpenApiSchema schema, bool validation)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "A stable machine code for the problem (e.g. `noteBalanceInsufficient`); it never changes with the language.",
        };
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id, for the service's logs." };
        if (validation)
        {
            schema.Properties["errorCodes"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "The stable codes of `errors`, keyed by the same fields.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }
    }

    /// <summary>An amount: a JSON number with at most 2 decimals, stated three ways so that generators and readers agree.</summary>
    internal static void DescribeMoney(OpenApiSchema schema)
    {
        schema.Format = "decimal";
        schema.MultipleOf = 0.01m;
        schema.Description = string.IsNullOrEmpty(schema.Description) ? MoneyNote : schema.Description.TrimEnd() + " " + MoneyNote;
    }
}
