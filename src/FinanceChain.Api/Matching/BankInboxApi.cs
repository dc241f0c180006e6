using FinanceChain.Api.Auth;
using FinanceChain.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinanceChain.Api.Matching;

/// <summary>A bank's inbox of financing requests its products can serve.</summary>
public static class BankInboxApi
{
    public static RouteGroupBuilder MapBankInbox(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/banks/me").WithTags("Financing requests").RequireAuthorization(Policies.Bank);

        group.MapGet("/matched-requests", ListMatchedRequestsAsync)
            .WithSummary("Open or offered, unexpired requests eligible for at least one of the caller's active products (bank), oldest first, " +
                "each with the ids of those products. Paged with limit and cursor.")
            .ProducesStandardErrors();
        return group;
    }

    public static async Task<Ok<Page<MatchedRequestResponse>>> ListMatchedRequestsAsync(
        HttpContext http, BankInbox inbox, int? limit, string? cursor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await inbox.ListAsync(Caller.From(http.User), PageRequest.From(limit, cursor), cancellationToken));
}
