using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinanceChain.Api.Matching;

/// <summary>Offers by id, and their acceptance by the requester.</summary>
public static class OffersApi
{
    public static RouteGroupBuilder MapOffers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/offers").WithTags("Financing requests").RequireAuthorization();

        group.MapGet("/", ListOffersAsync).RequireAuthorization(p => p.RequireRole("bank", "enterprise", "regulator")).WithName("listOffers")
            .WithSummary("Offers, newest first, optionally of one status (pending, accepted, declined, expired), each with its request's status: " +
                "a bank's own, those on an enterprise's requests, every offer for the regulator.")
            .ProducesStandardErrors(StatusCodes.Status403Forbidden);
        group.MapGet("/{id}", GetOfferAsync)
            .WithSummary("One offer: for the bank that made it, the request's owner, admin and regulator.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/accept", AcceptOfferAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("Accept an offer (the request's owner): the request becomes accepted and its other offers declined, in one step. " +
                "A note-discount offer also discounts the note (see 'discount'). A second acceptance is a 409.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Ok<Page<OfferResponse>>> ListOffersAsync(
        HttpContext http, OfferStore offers, string? status, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = PageRequest.From(limit, cursor);
        var wanted = string.IsNullOrEmpty(status) ? (OfferStatus?)null : ParseStatus(status);
        return TypedResults.Ok(await offers.ListAsync(Caller.From(http.User), wanted, page, cancellationToken));
    }

    public static async Task<Ok<OfferResponse>> GetOfferAsync(string id, HttpContext http, OfferStore offers, CancellationToken cancellationToken) =>
        TypedResults.Ok(await offers.GetAsync(id, Caller.From(http.User), cancellationToken));

    public static async Task<Ok<AcceptOfferResponse>> AcceptOfferAsync(string id, HttpContext http, OfferStore offers, CancellationToken cancellationToken) =>
        TypedResults.Ok(await offers.AcceptAsync(id, Caller.From(http.User), cancellationToken));

    // Exactly as the contract writes them: "Pending" is a 400 like any unknown word.
    private static OfferStatus ParseStatus(string text) =>
        Enum.GetValues<OfferStatus>().Cast<OfferStatus?>().FirstOrDefault(s => string.Equals(Database.EnumText.Of(s!.Value), text, StringComparison.Ordinal))
        ?? throw new FieldValidationException("status", MatchingApiCodes.OfferStatusUnknown, string.Join(", ", Enum.GetValues<OfferStatus>().Select(Database.EnumText.Of)));
}
