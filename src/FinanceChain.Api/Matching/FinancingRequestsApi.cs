using FinanceChain.Api.Idempotency;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinanceChain.Api.Matching;

/// <summary>Financing requests, their explained matches, and the offers banks make on them.</summary>
public static class FinancingRequestsApi
{
    public static RouteGroupBuilder MapFinancingRequests(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/financing-requests").WithTags("Financing requests").RequireAuthorization();

        group.MapPost("/", CreateFinancingRequestAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("Make a financing request (enterprise). The enterprise must belong to the chain; its size and region come from the registry.")
            .ProducesStandardErrors()
            .WithIdempotency();
        group.MapGet("/", ListFinancingRequestsAsync).RequireAuthorization(p => p.RequireRole("enterprise", "admin", "regulator"))
            .WithSummary("The caller's own requests (enterprise), or every request (admin, regulator).")
            .ProducesStandardErrors();
        group.MapGet("/{id}", GetFinancingRequestAsync)
            .WithSummary("One request: for its owner, admin, regulator, and banks with an eligible active product or an offer on it.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/withdraw", WithdrawFinancingRequestAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("Withdraw one of the caller's requests (owner); its pending offers are declined. 409 unless open or offered and unexpired.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapGet("/{id}/matches", GetMatchesAsync)
            .WithSummary("The best eligible products for the request, best first, with score and reasons (owner, admin, regulator; a bank only with an eligible active product). limit defaults to 10, at most 100.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/offers", CreateOfferAsync).RequireAuthorization(Policies.Bank)
            .WithSummary("Make an offer on the request with one of the caller's eligible products (bank). The first offer makes the request 'offered'.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithIdempotency();
        group.MapGet("/{id}/offers", ListOffersAsync)
            .WithSummary("Offers on the request: all of them for its owner, admin and regulator; a bank sees its own.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Created<FinancingRequestResponse>> CreateFinancingRequestAsync(
        NewFinancingRequest request, HttpContext http, FinancingRequestStore requests, CancellationToken cancellationToken)
    {
        var created = await requests.CreateAsync(request, Caller.From(http.User), cancellationToken);
        return TypedResults.Created($"/api/v1/financing-requests/{created.Id}", created);
    }

    public static async Task<Ok<Page<FinancingRequestResponse>>> ListFinancingRequestsAsync(
        HttpContext http, FinancingRequestStore requests, int? limit, string? cursor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await requests.ListAsync(Caller.From(http.User), PageRequest.From(limit, cursor), cancellationToken));

    public static async Task<Ok<FinancingRequestResponse>> GetFinancingRequestAsync(
        string id, HttpContext http, FinancingRequestStore requests, CancellationToken cancellationToken) =>
        TypedResults.Ok(await requests.GetAsync(id, Caller.From(http.User), cancellationToken));

    public static async Task<Ok<FinancingRequestResponse>> WithdrawFinancingRequestAsync(
        string id, HttpContext http, FinancingRequestStore requests, CancellationToken cancellationToken) =>
        TypedResults.Ok(await requests.WithdrawAsync(id, Caller.From(http.User), cancellationToken));

    public static async Task<Ok<MatchesResponse>> GetMatchesAsync(
        string id, HttpContext http, FinancingRequestStore requests, int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await requests.MatchesAsync(id, limit, Caller.From(http.User), cancellationToken));

    public static async Task<Created<OfferResponse>> CreateOfferAsync(
        string id, NewOffer offer, HttpContext http, OfferStore offers, CancellationToken cancellationToken)
    {
        var created = await offers.CreateAsync(id, offer, Caller.From(http.User), cancellationToken);
        return TypedResults.Created($"/api/v1/offers/{created.Id}", created);
    }

    public static async Task<Ok<Page<OfferResponse>>> ListOffersAsync(
        string id, HttpContext http, OfferStore offers, int? limit, string? cursor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await offers.ListForRequestAsync(id, Caller.From(http.User), PageRequest.From(limit, cursor), cancellationToken));
}
