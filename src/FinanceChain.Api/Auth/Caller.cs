using System.Security.Claims;
using FinanceChain.Domain;

namespace FinanceChain.Api.Auth;

/// <summary>Who is calling: the API key, its role and the institution or enterprise it is bound to.</summary>
public sealed record Caller(string KeyId, string Name, Role Role, string? InstitutionId, string? EnterpriseId)
{
    public const string KeyIdClaim = "fc:key";
    public const string InstitutionClaim = "fc:institution";
    public const string EnterpriseClaim = "fc:enterprise";

    /// <summary>The name of the institution or enterprise, in a signed-in person's session (the pages' header shows it).</summary>
    public const string PartyNameClaim = "fc:party";

    public bool IsAdmin => Role == Role.Admin;
    public bool IsRegulator => Role == Role.Regulator;

    /// <summary>Admin and regulator see every tenant's data.</summary>
    public bool SeesEverything => Role is Role.Admin or Role.Regulator;

    public static Caller From(ClaimsPrincipal user)
    {
        var keyId = user.FindFirstValue(KeyIdClaim) ?? throw new InvalidOperationException("No authenticated caller.");
        return new Caller(
            keyId,
            user.Identity?.Name ?? keyId,
            Enum.Parse<Role>(user.FindFirstValue(ClaimTypes.Role)!, ignoreCase: true),
            user.FindFirstValue(InstitutionClaim),
            user.FindFirstValue(EnterpriseClaim));
    }

    /// <summary>The bank's institution id; only call for the bank role.</summary>
    public string BankInstitutionId => InstitutionId ?? throw new InvalidOperationException("Caller is not a bank.");

    /// <summary>The enterprise id; only call for the enterprise role.</summary>
    public string OwnEnterpriseId => EnterpriseId ?? throw new InvalidOperationException("Caller is not an enterprise.");
}
