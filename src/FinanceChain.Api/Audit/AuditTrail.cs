using FinanceChain.Api.Database;
using NodaTime;

namespace FinanceChain.Api.Audit;

/// <summary>An audit entry as people read it: the actor's key name and the changed entity's name beside their ids.</summary>
public sealed class AuditTrailRow
{
    public long Seq { get; set; }
    public Instant At { get; set; }
    public string Actor { get; set; } = "";

    /// <summary>The name of the actor's API key; null for the service's own actors (the roster job, the command line).</summary>
    public string? ActorName { get; set; }

    public string Role { get; set; } = "";
    public string Action { get; set; } = "";
    public string EntityType { get; set; } = "";
    public string EntityId { get; set; } = "";

    /// <summary>The chain, institution, enterprise, product or key changed, by name; null for other entities.</summary>
    public string? EntityName { get; set; }

    public string Details { get; set; } = "{}";
}

/// <summary>One actor that appears in the trail.</summary>
public sealed class AuditActorRow
{
    public string Actor { get; set; } = "";
    public string Role { get; set; } = "";
    public string? Name { get; set; }
}

/// <summary>What to show of the trail; every filter is optional. <see cref="Before"/> pages back from the newest.</summary>
/// <param name="EntityType">The kind of entity, e.g. <c>roster</c>.</param>
/// <param name="EntityId">The entity's id (a period for rosters).</param>
/// <param name="Actor">The actor's key id.</param>
/// <param name="From">First instant included.</param>
/// <param name="To">End instant, excluded.</param>
/// <param name="Before">Only entries older than this position.</param>
/// <param name="Limit">Entries per page.</param>
public sealed record AuditQuery(string? EntityType, string? EntityId, string? Actor, Instant? From, Instant? To, long? Before, int Limit);

/// <summary>
/// The audit trail for the regulator's page, newest first, with names beside the ids (the JSON API's
/// <c>GET /audit</c> lists the same entries oldest first).
/// </summary>
public sealed class AuditTrail(Db db)
{
    internal const string PageSql = """
        SELECT a.seq, a.at, a.actor, k.name AS ActorName, a.role, a.action, a.entity_type AS EntityType, a.entity_id AS EntityId,
               COALESCE(c.name, i.name, e.name, p.name, ek.name) AS EntityName, a.details
        FROM audit_log a
        LEFT JOIN api_keys k ON k.id = a.actor
        LEFT JOIN chains c ON c.id = a.entity_id
        LEFT JOIN institutions i ON i.id = a.entity_id
        LEFT JOIN enterprises e ON e.id = a.entity_id
        LEFT JOIN products p ON p.id = a.entity_id
        LEFT JOIN api_keys ek ON ek.id = a.entity_id
        WHERE (@Before IS NULL OR a.seq < @Before)
          AND (@EntityType IS NULL OR a.entity_type = @EntityType)
          AND (@EntityId IS NULL OR a.entity_id = @EntityId)
          AND (@Actor IS NULL OR a.actor = @Actor)
          AND (@From IS NULL OR a.at >= @From)
          AND (@To IS NULL OR a.at < @To)
        ORDER BY a.seq DESC {limit}
        """;

    internal const string ActorsSql = """
        SELECT DISTINCT a.actor AS Actor, a.role AS Role, k.name AS Name
        FROM audit_log a
        LEFT JOIN api_keys k ON k.id = a.actor
        """;

    internal const string EntityTypesSql = "SELECT DISTINCT entity_type FROM audit_log";

    /// <summary>One page of entries (at most <see cref="AuditQuery.Limit"/>) and whether older ones match too.</summary>
    public async Task<(IReadOnlyList<AuditTrailRow> Rows, bool More)> PageAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = await db.QueryAsync<AuditTrailRow>(PageSql, new
        {
            query.Before,
            EntityType = Blank(query.EntityType),
            EntityId = Blank(query.EntityId),
            Actor = Blank(query.Actor),
            query.From,
            query.To,
            limit = query.Limit + 1,
        }, cancellationToken);
        return (rows.Take(query.Limit).ToList(), rows.Count > query.Limit);
    }

    /// <summary>Everyone who changed something, by name.</summary>
    public async Task<IReadOnlyList<AuditActorRow>> ActorsAsync(CancellationToken cancellationToken) =>
        (await db.QueryAsync<AuditActorRow>(ActorsSql, null, cancellationToken))
            .OrderBy(a => a.Name ?? a.Actor, StringComparer.Ordinal).ThenBy(a => a.Role, StringComparer.Ordinal).ToList();

    /// <summary>The kinds of entity the trail holds.</summary>
    public async Task<IReadOnlyList<string>> EntityTypesAsync(CancellationToken cancellationToken) =>
        (await db.QueryAsync<string>(EntityTypesSql, null, cancellationToken)).Order(StringComparer.Ordinal).ToList();

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
