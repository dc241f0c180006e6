namespace FinanceChain.Api.Auth;

/// <summary>Authorization policies by role. A missing or unknown key is 401 (a page without a session redirects to sign-in), a wrong role 403.</summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string Regulator = "regulator";
    public const string AdminOrRegulator = "adminOrRegulator";
    public const string Bank = "bank";
    public const string Enterprise = "enterprise";
    public const string BankOrEnterprise = "bankOrEnterprise";

    public static IServiceCollection AddRolePolicies(this IServiceCollection services)
    {
        // The API reads X-Api-Key only; the pages read their session cookie (SessionAuthentication.SchemeFor).
        services.AddAuthentication(SessionAuthentication.SelectorName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddSession();
        services.AddAuthorizationBuilder()
            .AddPolicy(Admin, p => p.RequireRole("admin"))
            .AddPolicy(Regulator, p => p.RequireRole("regulator"))
            .AddPolicy(AdminOrRegulator, p => p.RequireRole("admin", "regulator"))
            .AddPolicy(Bank, p => p.RequireRole("bank"))
            .AddPolicy(Enterprise, p => p.RequireRole("enterprise"))
            .AddPolicy(BankOrEnterprise, p => p.RequireRole("bank", "enterprise"));
        return services;
    }
}
