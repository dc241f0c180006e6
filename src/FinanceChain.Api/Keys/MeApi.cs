using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinanceChain.Api.Keys;

/// <summary>The calling key, as an integration sees itself: which bank or enterprise it acts for.</summary>
/// <param name="KeyId">Id of the key (as in the audit trail).</param>
/// <param name="Name">Who holds the key.</param>
/// <param name="Role">admin, regulator, bank or enterprise.</param>
/// <param name="InstitutionId">For a bank key: the institution it acts for.</param>
/// <param name="InstitutionName">That institution's name.</param>
/// <param name="EnterpriseId">For an enterprise key: the enterprise it acts for.</param>
/// <param name="EnterpriseName">That enterprise's name.</param>
public sealed record MeResponse(
    string KeyId, string Name, Role Role, string? InstitutionId, string? InstitutionName, string? EnterpriseId, string? EnterpriseName);

/// <summary><c>GET /me</c>: who am I, for any key.</summary>
public static class MeApi
{
    public static RouteHandlerBuilder MapMe(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/me", GetMeAsync).WithTags("Keys").RequireAuthorization().WithName("getMe")
            .WithSummary("The calling key: its id, holder, role and the institution or enterprise it acts for, with names (any key).")
            .ProducesStandardErrors();

    public static async Task<Ok<MeResponse>> GetMeAsync(HttpContext http, KeyStore keys, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        // The key authenticated this very request; a key revoked in between is as unknown as it will be on the next one.
        var row = await keys.GetAsync(caller.KeyId, cancellationToken) ?? throw new NotFoundException("apiKey");
        return TypedResults.Ok(new MeResponse(row.Id, row.Name, caller.Role, row.InstitutionId, row.InstitutionName, row.EnterpriseId, row.EnterpriseName));
    }
}
