namespace FinanceChain.Api.Auth;

/// <summary>Authorization policies by role. A missing or unknown key is 401, a wrong role 403.</summary>
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
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
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
