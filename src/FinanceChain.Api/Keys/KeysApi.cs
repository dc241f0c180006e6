using System.ComponentModel.DataAnnotations;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace FinanceChain.Api.Keys;

/// <summary>A new API key. A bank key needs its institution, an enterprise key its enterprise.</summary>
/// <param name="Role">admin, regulator, bank or enterprise.</param>
/// <param name="Name">Who holds the key, for the audit trail.</param>
/// <param name="InstitutionId">For a bank key: the institution it acts for.</param>
/// <param name="EnterpriseId">For an enterprise key: the enterprise it acts for.</param>
public sealed record CreateKeyRequest(
    Role Role,
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), StringLength(200, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxChars)), PlainText] string Name,
    [EntityId] string? InstitutionId = null,
    [EntityId] string? EnterpriseId = null);

/// <summary>A newly created key; <paramref name="Key"/> is shown only this once.</summary>
/// <param name="Id">Id of the key (for revocation and the audit trail).</param>
/// <param name="Key">The secret to send in X-Api-Key.</param>
/// <param name="Role">admin, regulator, bank or enterprise.</param>
/// <param name="Name">Its holder.</param>
/// <param name="InstitutionId">Bound institution, for a bank key.</param>
/// <param name="InstitutionName">Its name.</param>
/// <param name="EnterpriseId">Bound enterprise, for an enterprise key.</param>
/// <param name="EnterpriseName">Its name.</param>
public sealed record CreatedKeyResponse(string Id, string Key, Role Role, string Name, string? InstitutionId, string? InstitutionName, string? EnterpriseId, string? EnterpriseName);

/// <summary>A key as listed: never its secret.</summary>
/// <param name="Id">Id of the key.</param>
/// <param name="Role">admin, regulator, bank or enterprise.</param>
/// <param name="Name">Its holder.</param>
/// <param name="InstitutionId">Bound institution, for a bank key.</param>
/// <param name="InstitutionName">Its name.</param>
/// <param name="EnterpriseId">Bound enterprise, for an enterprise key.</param>
/// <param name="EnterpriseName">Its name.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
public sealed record KeyResponse(
    string Id, Role Role, string Name, string? InstitutionId, string? InstitutionName, string? EnterpriseId, string? EnterpriseName, Instant CreatedAt, Instant? RevokedAt);

/// <summary>API keys (admin).</summary>
public static class KeysApi
{
    public static RouteGroupBuilder MapKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/keys").WithTags("Keys").RequireAuthorization(Policies.Admin);
        group.MapPost("/", CreateKeyAsync).WithSummary("Create an API key (admin); the key is shown once.").ProducesStandardErrors();
        group.MapGet("/", ListKeysAsync).WithSummary("List API keys without their secrets (admin).").ProducesStandardErrors();
        group.MapPost("/{id}/revoke", RevokeKeyAsync).WithSummary("Revoke a key (admin); it is refused from then on.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Created<CreatedKeyResponse>> CreateKeyAsync(CreateKeyRequest request, HttpContext http, KeyStore keys, CancellationToken cancellationToken)
    {
        CheckBinding(request.Role, request.InstitutionId, request.EnterpriseId);
        var caller = Caller.From(http.User);
        var (row, plain) = await keys.CreateAsync(request.Role, request.Name.Trim(), request.InstitutionId, request.EnterpriseId, caller.KeyId, "admin", cancellationToken);
        return TypedResults.Created($"/api/v1/keys/{row.Id}", new CreatedKeyResponse(row.Id, plain, request.Role, row.Name, row.InstitutionId, row.InstitutionName, row.EnterpriseId, row.EnterpriseName));
    }

    public static async Task<Ok<Page<KeyResponse>>> ListKeysAsync(KeyStore keys, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = PageRequest.From(limit, cursor);
        var rows = await keys.ListAsync(page.After, page.FetchLimit, cancellationToken);
        return TypedResults.Ok(page.ToPage(rows, r => r.Id, ToResponse));
    }

    public static async Task<Ok<KeyResponse>> RevokeKeyAsync(string id, HttpContext http, KeyStore keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToResponse(await keys.RevokeAsync(id, Caller.From(http.User), cancellationToken)));

    /// <summary>A bank key needs an institution and nothing else; an enterprise key an enterprise; others neither.</summary>
    public static void CheckBinding(Role role, string? institutionId, string? enterpriseId)
    {
        var errors = new Dictionary<string, FieldError[]>();
        if (role == Role.Bank && string.IsNullOrEmpty(institutionId))
        {
            errors["institutionId"] = [new FieldError(KeyCodes.BankKeyNeedsInstitution)];
        }

        if (role != Role.Bank && institutionId is not null)
        {
            errors["institutionId"] = [new FieldError(KeyCodes.InstitutionOnlyForBankKeys)];
        }

        if (role == Role.Enterprise && string.IsNullOrEmpty(enterpriseId))
        {
            errors["enterpriseId"] = [new FieldError(KeyCodes.EnterpriseKeyNeedsEnterprise)];
        }

        if (role != Role.Enterprise && enterpriseId is not null)
        {
            errors["enterpriseId"] = [new FieldError(KeyCodes.EnterpriseOnlyForEnterpriseKeys)];
        }

        if (errors.Count > 0)
        {
            throw new FieldValidationException(errors);
        }
    }

    private static KeyResponse ToResponse(ApiKeyRow row) =>
        new(row.Id, Enum.Parse<Role>(row.Role, true), row.Name, row.InstitutionId, row.InstitutionName, row.EnterpriseId, row.EnterpriseName, row.CreatedAt, row.RevokedAt);
}
