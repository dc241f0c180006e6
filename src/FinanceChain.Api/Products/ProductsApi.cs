using FinanceChain.Api.Idempotency;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinanceChain.Api.Products;

/// <summary>Banks' supply-chain finance products: a bank posts and manages its own; every role reads the active ones.</summary>
public static class ProductsApi
{
    public static RouteGroupBuilder MapProducts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/products").WithTags("Products").RequireAuthorization();

        group.MapPost("/", CreateProductAsync).RequireAuthorization(Policies.Bank)
            .WithSummary("Post a product for the caller's bank (bank). Returns its ETag.")
            .ProducesETag()
            .ProducesStandardErrors()
            .WithIdempotency();
        group.MapGet("/", ListProductsAsync)
            .WithSummary("Active products, optionally of one type, one bank (institutionId) or offered to one chain (restricted to it or open to every chain).")
            .ProducesStandardErrors();
        group.MapGet("/{id}", GetProductAsync)
            .WithSummary("One active product with its ETag; the owning bank also sees its withdrawn ones.")
            .ProducesETag()
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPut("/{id}", ReplaceProductAsync).RequireAuthorization(Policies.Bank)
            .WithSummary("Replace the terms of one of the caller's products (owning bank). Requires If-Match with its ETag; returns the new ETag.")
            .ProducesETag()
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired);
        group.MapPost("/{id}/withdraw", WithdrawProductAsync).RequireAuthorization(Policies.Bank)
            .WithSummary("Withdraw one of the caller's products (owning bank): it never matches again. Withdrawing twice is a 409.")
            .ProducesETag()
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Created<ProductResponse>> CreateProductAsync(ProductRequest request, HttpContext http, ProductStore products, CancellationToken cancellationToken)
    {
        var product = await products.CreateAsync(request, Caller.From(http.User), cancellationToken);
        http.Response.Headers.ETag = ETags.For(product.Version);
        return TypedResults.Created($"/api/v1/products/{product.Id}", product);
    }

    public static async Task<Ok<Page<ProductResponse>>> ListProductsAsync(
        ProductStore products, string? type, string? chainId, string? institutionId, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = PageRequest.From(limit, cursor);
        var productType = string.IsNullOrEmpty(type) ? (ProductType?)null : ParseEnum<ProductType>(type, "type");
        return TypedResults.Ok(await products.ListAsync(productType, NullIfEmpty(chainId), NullIfEmpty(institutionId), page, cancellationToken));
    }

    public static async Task<Ok<ProductResponse>> GetProductAsync(string id, HttpContext http, ProductStore products, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var product = await products.GetAsync(id, cancellationToken);
        if (product is null || (product.Status != ProductStatus.Active && !IsOwner(caller, product)))
        {
            throw new NotFoundException("product");
        }

        http.Response.Headers.ETag = ETags.For(product.Version);
        return TypedResults.Ok(product);
    }

    public static async Task<Ok<ProductResponse>> ReplaceProductAsync(string id, ProductRequest request, HttpContext http, ProductStore products, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var current = await products.GetAsync(id, cancellationToken);
        if (current is null || !IsOwner(caller, current))
        {
            throw new NotFoundException("product");
        }

        var version = ETags.RequiredVersion(http.Request);
        var product = await products.ReplaceAsync(id, request, version, caller, cancellationToken);
        http.Response.Headers.ETag = ETags.For(product.Version);
        return TypedResults.Ok(product);
    }

    public static async Task<Ok<ProductResponse>> WithdrawProductAsync(string id, HttpContext http, ProductStore products, CancellationToken cancellationToken)
    {
        var product = await products.WithdrawAsync(id, Caller.From(http.User), cancellationToken);
        http.Response.Headers.ETag = ETags.For(product.Version);
        return TypedResults.Ok(product);
    }

    /// <summary>Parses a camelCase enum name from a query string exactly as the contract writes it: no other case, no numbers.</summary>
    internal static T ParseEnum<T>(string text, string field) where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(EnumText.Of(value), text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        throw new FieldValidationException(field, HttpCodes.EnumValueNotExact, string.Join(", ", Enum.GetValues<T>().Select(EnumText.Of).Order(StringComparer.Ordinal)));
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static bool IsOwner(Caller caller, ProductResponse product) =>
        caller.Role == Role.Bank && caller.InstitutionId == product.InstitutionId;
}
