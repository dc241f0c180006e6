using System.Security.Claims;
using System.Text.Encodings.Web;
using FinanceChain.Api.Http;
using FinanceChain.Api.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FinanceChain.Api.Auth;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the stored key hashes. The lookup goes to the
/// database on every request, so that a key revoked through one service instance is refused by all.
/// </summary>
/// <remarks>
/// Every unknown or revoked key spends one of its client address's failed authentications
/// (<see cref="AuthenticationBudget"/>); while an address has none left, its keys are not looked up and a
/// request that needs a key gets 429 with <c>Retry-After</c> instead of 401.
/// </remarks>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyStore keys,
    AuthenticationBudget budget)
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

        if (!budget.MayLookUp(Context, out var retryAfter))
        {
            Context.Features.Set(new LookupRefused(retryAfter));
            return AuthenticateResult.Fail("Too many failed authentications from this address; the key was not looked up.");
        }

        var key = await keys.FindActiveAsync(values.ToString(), Context.RequestAborted);
        if (key is null)
        {
            budget.CountFailure(Context);
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

    /// <summary>401, or 429 when the key was not looked up because its address's budget is spent.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Context.Features.Get<LookupRefused>() is { } refused
            ? Limits.WriteTooManyAsync(Context, refused.RetryAfter, HttpCodes.AuthenticationFailuresExceeded, budget.PerMinute)
            : base.HandleChallengeAsync(properties);

    /// <summary>Marks a request whose key was refused unread.</summary>
    private sealed record LookupRefused(TimeSpan RetryAfter);
}
