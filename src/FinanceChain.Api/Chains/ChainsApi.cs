using FinanceChain.Api.Idempotency;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinanceChain.Api.Chains;

/// <summary>Chains and the lead bank of each (一链一行).</summary>
public static class ChainsApi
{
    public static RouteGroupBuilder MapChains(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/chains").WithTags("Chains").RequireAuthorization();

        group.MapPost("/", CreateChainAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Register a key industrial chain (admin).")
            .ProducesStandardErrors(StatusCodes.Status409Conflict)
            .WithIdempotency();
        group.MapGet("/", ListChainsAsync).WithSummary("List chains.").ProducesStandardErrors();
        group.MapGet("/{id}", GetChainAsync).WithSummary("One chain, with its lead bank if paired.").ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPut("/{id}/lead-bank", PairLeadBankAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Pair the chain with its lead bank (admin); the previous pairing ends and stays in the history.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/lead-bank", GetLeadBankAsync).WithSummary("The chain's current lead bank; 404 when none.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/lead-bank/history", GetLeadBankHistoryAsync).WithSummary("Every lead-bank pairing of the chain, oldest first.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Created<ChainResponse>> CreateChainAsync(CreateChainRequest request, HttpContext http, ChainStore chains, CancellationToken cancellationToken)
    {
        var chain = await chains.CreateAsync(request, Caller.From(http.User), cancellationToken);
        return TypedResults.Created($"/api/v1/chains/{chain.Id}", chain);
    }

    public static async Task<Ok<Page<ChainResponse>>> ListChainsAsync(ChainStore chains, int? limit, string? cursor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await chains.ListAsync(PageRequest.From(limit, cursor), cancellationToken));

    public static async Task<Ok<ChainResponse>> GetChainAsync(string id, ChainStore chains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await chains.GetAsync(id, cancellationToken) ?? throw new NotFoundException("chain"));

    public static async Task<Ok<LeadBankResponse>> PairLeadBankAsync(string id, PairLeadBankRequest request, HttpContext http, ChainStore chains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await chains.PairLeadBankAsync(id, request.InstitutionId, Caller.From(http.User), cancellationToken));

    public static async Task<Ok<LeadBankResponse>> GetLeadBankAsync(string id, ChainStore chains, CancellationToken cancellationToken)
    {
        var chain = await chains.GetAsync(id, cancellationToken) ?? throw new NotFoundException("chain");
        return TypedResults.Ok(chain.LeadBank ?? throw new NotFoundException("leadBank"));
    }

    public static async Task<Ok<IReadOnlyList<LeadBankPairingResponse>>> GetLeadBankHistoryAsync(string id, ChainStore chains, CancellationToken cancellationToken)
    {
        _ = await chains.GetAsync(id, cancellationToken) ?? throw new NotFoundException("chain");
        return TypedResults.Ok(await chains.HistoryAsync(id, cancellationToken));
    }
}
