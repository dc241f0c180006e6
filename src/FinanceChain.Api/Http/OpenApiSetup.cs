using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using NodaTime;

namespace FinanceChain.Api.Http;

/// <summary>The OpenAPI document: NodaTime types as ISO strings, the API-key scheme, problem responses.</summary>
public static class OpenApiSetup
{
    /// <summary>The decimal properties that are not amounts of money (a match's score).</summary>
    private static readonly HashSet<string> NotMoney = ["score"];

    public static IServiceCollection AddFinanceChainOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "FinanceChain API",
                    Version = "v1",
                    Description = "Supply-chain finance matching for the financial chain-chief scheme (金融链长, 一链一行): " +
                        "chains and lead banks, bank products, financing requests and explained matching, receivables and " +
                        "supply-chain notes in 0.01-yuan sub-note ranges, and the half-yearly roster. Authenticate with the X-Api-Key header. " +
                        "Money is a JSON number in yuan with at most 2 decimals; rates are integer basis points per year. " +
                        "Every text (match reasons, near misses, roster flags, problem details) follows Accept-Language: Simplified Chinese " +
                        "(zh-CN, the default) or English (en); beside each is a stable code (problem details: code and errorCodes; reasons: { code, message }). " +
                        "Region codes are checked against GB/T 2260 and come with their names (regionName).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "X-Api-Key",
                    Description = "An API key created with `keys create` or POST /api/v1/keys.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] });
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer(OpenApiContract.DocumentAsync);
            // The contract first: the examples then fill the problem responses it adds (413, 429).
            options.AddOperationTransformer(OpenApiContract.OperationAsync);
            options.AddOperationTransformer(OpenApiExamples.TransformAsync);
            options.AddOperationTransformer(OpenApiRequestExamples.TransformAsync);
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
                if (type == typeof(Instant))
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Format = "date-time";
                    schema.Properties?.Clear();
                }
                else if (type == typeof(LocalDate))
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Format = "date";
                    schema.Properties?.Clear();
                }
                else if (type == typeof(decimal))
                {
                    // Amounts in yuan, read by ExactMoneyConverter, which the schema exporter does not know.
                    schema.Type = context.JsonTypeInfo.Type == type ? JsonSchemaType.Number : JsonSchemaType.Number | JsonSchemaType.Null;
                    schema.Format = null;
                    if (!NotMoney.Contains(context.JsonPropertyInfo?.Name ?? ""))
                    {
                        OpenApiContract.DescribeMoney(schema);
                    }
                }
                else if (schema.Items is null && EnumElementOf(type) is { } element)
                {
                    // Lists of enums are read by the exact converter too, and so come out without their items.
                    schema.Items = new OpenApiSchemaReference(element.Name, context.Document);
                }
                else if (type == typeof(HttpValidationProblemDetails) || type == typeof(ProblemDetails))
                {
                    OpenApiContract.DescribeProblem(schema, validation: type == typeof(HttpValidationProblemDetails));
                }
                else if (type.IsEnum)
                {
                    // The exact converter (ExactEnumConverter) is not one the schema exporter knows: name the values here.
                    schema.Type = JsonSchemaType.String;
                    schema.Enum = [.. ExactEnumConverter.NamesOf(type).Select(name => (System.Text.Json.Nodes.JsonNode)name)];
                }

                return Task.CompletedTask;
            });
        });

    private static Type? EnumElementOf(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        var element = type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        element = element is null ? null : Nullable.GetUnderlyingType(element) ?? element;
        return element is { IsEnum: true } ? element : null;
    }

    /// <summary>Declares that the endpoint's successful answer carries the resource's <c>ETag</c> (see <see cref="OpenApiContract"/>).</summary>
    public static RouteHandlerBuilder ProducesETag(this RouteHandlerBuilder builder) => builder.WithMetadata(ETagResponseMetadata.Instance);

    /// <summary>Declares the problem-details responses every protected route can give, plus the given extra ones.</summary>
    public static RouteHandlerBuilder ProducesStandardErrors(this RouteHandlerBuilder builder, params int[] extra)
    {
        builder.ProducesValidationProblem();
        builder.ProducesProblem(StatusCodes.Status401Unauthorized);
        builder.ProducesProblem(StatusCodes.Status403Forbidden);
        foreach (var status in extra)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
