using FinanceChain.Api.Auth;
using FinanceChain.Domain;

namespace FinanceChain.Api.Pages.Shared;

/// <summary>One link of the header's navigation: where it goes and the key of its words.</summary>
public sealed record NavItem(string Href, string TextKey);

/// <summary>
/// The header's links by role: each role sees the pages it may open, no other. The desk (<c>/</c>) comes first
/// for everyone signed in; the public roster is for everyone.
/// </summary>
public static class Navigation
{
    public static IReadOnlyList<NavItem> For(Caller? caller)
    {
        var items = new List<NavItem>();
        if (caller is not null)
        {
            items.Add(new NavItem("/", "page.nav.desk"));
            switch (caller.Role)
            {
                case Role.Regulator:
                    items.Add(new NavItem("/rosters", "page.nav.rosters"));
                    items.Add(new NavItem("/dashboard", "page.nav.dashboard"));
                    items.Add(new NavItem("/audit", "page.nav.audit"));
                    items.Add(new NavItem("/hangfire", "page.nav.jobs"));
                    break;
                case Role.Admin:
                    items.Add(new NavItem("/rosters", "page.nav.rosters"));
                    items.Add(new NavItem("/dashboard", "page.nav.dashboard"));
                    items.Add(new NavItem("/hangfire", "page.nav.jobs"));
                    break;
                case Role.Enterprise:
                    items.Add(new NavItem("/requests", "page.nav.requests"));
                    items.Add(new NavItem("/receivables", "page.nav.receivables"));
                    items.Add(new NavItem("/notes", "page.nav.notes"));
                    break;
                case Role.Bank:
                    items.Add(new NavItem("/inbox", "page.nav.inbox"));
                    items.Add(new NavItem("/offers", "page.nav.offers"));
                    items.Add(new NavItem("/products", "page.nav.products"));
                    items.Add(new NavItem("/notes", "page.nav.notes"));
                    break;
            }
        }

        items.Add(new NavItem("/roster", "page.nav.publicRoster"));
        return items;
    }

    /// <summary>The signed-in caller of <paramref name="http"/>, or null.</summary>
    public static Caller? CallerOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.User.FindFirst(Caller.KeyIdClaim) is null ? null : Caller.From(http.User);
    }
}
