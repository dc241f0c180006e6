using FinanceChain.Api.Idempotency;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinanceChain.Api.Enterprises;

/// <summary>Enterprises: admin registers them; confidential figures only for those entitled to them.</summary>
public static class EnterprisesApi
{
    public static RouteGroupBuilder MapEnterprises(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/enterprises").WithTags("Enterprises").RequireAuthorization();
        group.MapPost("/", CreateEnterpriseAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Register an enterprise (admin); its size is computed from the 2011 SME standard.")
            .ProducesStandardErrors(StatusCodes.Status409Conflict)
            .WithIdempotency();
        group.MapGet("/", ListEnterprisesAsync).WithSummary("List enterprises (confidential figures only where the caller is entitled).")
            .ProducesStandardErrors();
        group.MapGet("/{id}", GetEnterpriseAsync).WithSummary("One enterprise.").ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/chains", JoinChainAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Add the enterprise to a chain with a role (admin).")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Created<EnterpriseResponse>> CreateEnterpriseAsync(CreateEnterpriseRequest request, HttpContext http, EnterpriseStore enterprises, CancellationToken cancellationToken)
    {
        var enterprise = await enterprises.CreateAsync(request, Caller.From(http.User), cancellationToken);
        return TypedResults.Created($"/api/v1/enterprises/{enterprise.Id}", enterprise);
    }

    public static async Task<Ok<Page<EnterpriseResponse>>> ListEnterprisesAsync(
        HttpContext http, EnterpriseStore enterprises, BankRelations relations, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        IReadOnlySet<string> related = caller.Role == Role.Bank ? await relations.EnterprisesOfAsync(caller.BankInstitutionId, cancellationToken) : new HashSet<string>();
        var page = await enterprises.ListAsync(PageRequest.From(limit, cursor), id => MaySeeConfidential(caller, id, related), cancellationToken);
        return TypedResults.Ok(page);
    }

    public static async Task<Ok<EnterpriseResponse>> GetEnterpriseAsync(string id, HttpContext http, EnterpriseStore enterprises, BankRelations relations, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var related = caller.Role == Role.Bank && await relations.IsRelatedAsync(caller.BankInstitutionId, id, cancellationToken)
            ? new HashSet<string> { id }
            : new HashSet<string>();
        var enterprise = await enterprises.GetAsync(id, MaySeeConfidential(caller, id, related), cancellationToken) ?? throw new NotFoundException("enterprise");
        return TypedResults.Ok(enterprise);
    }

    public static async Task<Ok<EnterpriseResponse>> JoinChainAsync(string id, ChainMembershipRequest request, HttpContext http, EnterpriseStore enterprises, CancellationToken cancellationToken) =>
        TypedResults.Ok(await enterprises.JoinChainAsync(id, request, Caller.From(http.User), cancellationToken));

    private static bool MaySeeConfidential(Caller caller, string enterpriseId, IReadOnlySet<string> relatedToBank) =>
        caller.SeesEverything || caller.EnterpriseId == enterpriseId || relatedToBank.Contains(enterpriseId);
}
