using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;

namespace FinanceChain.Api.Pages;

/// <summary>
/// <c>/audit</c> (regulator): the audit trail, newest first, 50 entries a page, filtered by kind of entity, entity,
/// actor and Shanghai dates (from and to, both included). Actors by their key's name and role.
/// </summary>
[Authorize(Policy = Policies.Regulator)]
public sealed class AuditModel(AuditTrail trail) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "type")]
    public string? EntityType { get; set; }

    [BindProperty(SupportsGet = true, Name = "entity")]
    public string? EntityId { get; set; }

    [BindProperty(SupportsGet = true, Name = "actor")]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "before")]
    public long? Before { get; set; }

    public IReadOnlyList<AuditTrailRow> Rows { get; private set; } = [];

    public bool More { get; private set; }

    public IReadOnlyList<AuditActorRow> Actors { get; private set; } = [];

    public IReadOnlyList<string> EntityTypes { get; private set; } = [];

    /// <summary>Keys of the messages beside the date fields, when a date could not be read.</summary>
    public string? FromError { get; private set; }

    public string? ToError { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Actors = await trail.ActorsAsync(cancellationToken);
        EntityTypes = await trail.EntityTypesAsync(cancellationToken);
        var from = ParseDate(From, out var fromBad);
        var to = ParseDate(To, out var toBad);
        FromError = fromBad ? "page.audit.dateInvalid" : null;
        ToError = toBad ? "page.audit.dateInvalid" : null;
        if (fromBad || toBad)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var query = new AuditQuery(
            EntityType,
            EntityId,
            Actor,
            from?.AtStartOfDayInZone(Formats.Shanghai).ToInstant(),
            to?.PlusDays(1).AtStartOfDayInZone(Formats.Shanghai).ToInstant(),
            Before,
            PageSize);
        (Rows, More) = await trail.PageAsync(query, cancellationToken);
    }

    /// <summary>The query string of this page with <c>before</c> set, for the link to older entries.</summary>
    public string OlderLink(long before) =>
        "/audit" + QueryString.Create(new Dictionary<string, string?>
        {
            ["type"] = EntityType,
            ["entity"] = EntityId,
            ["actor"] = Actor,
            ["from"] = From,
            ["to"] = To,
            ["before"] = before.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Where(p => !string.IsNullOrEmpty(p.Value)));

    /// <summary>The actor's words: its key's name and role, or the service's own actor.</summary>
    public string ActorText(PageWords words, string actor, string? name, string role)
    {
        ArgumentNullException.ThrowIfNull(words);
        var who = name ?? words.Text("page.audit.systemActor", actor);
        return $"{who} · {words.RoleName(role)}";
    }

    // A business date in the range the service stores; anything else is a message beside the field.
    private static LocalDate? ParseDate(string? text, out bool bad)
    {
        bad = false;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var result = LocalDatePattern.Iso.Parse(text.Trim());
        if (!result.Success || result.Value.Year is < 2000 or > 2999)
        {
            bad = true;
            return null;
        }

        return result.Value;
    }
}
