using System.Security.Claims;
using System.Text.Encodings.Web;
using FinanceChain.Api.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FinanceChain.Api.Auth;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the stored key hashes. The lookup goes to the
/// database on every request, so that a key revoked through one service instance is refused by all.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || string.IsNullOrWhiteSpace(values.ToString()))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.FindActiveAsync(values.ToString(), Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(PrincipalOf(key, SchemeName), SchemeName));
    }

    /// <summary>The caller's claims for a stored key, as <see cref="Caller.From"/> reads them; the same for the API and the pages' session.</summary>
    public static ClaimsPrincipal PrincipalOf(ApiKeyRow key, string scheme)
    {
        ArgumentNullException.ThrowIfNull(key);
        var claims = new List<Claim>
        {
            new(Caller.KeyIdClaim, key.Id),
            new(ClaimTypes.Name, key.Name),
            new(ClaimTypes.Role, key.Role),
        };
        if (key.InstitutionId is not null)
        {
            claims.Add(new Claim(Caller.InstitutionClaim, key.InstitutionId));
        }

        if (key.EnterpriseId is not null)
        {
            claims.Add(new Claim(Caller.EnterpriseClaim, key.EnterpriseId));
        }

        if (key.PartyName is not null)
        {
            claims.Add(new Claim(Caller.PartyNameClaim, key.PartyName));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
