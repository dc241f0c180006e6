using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using System.Text.Json;

namespace FinanceChain.Api.Audit;

/// <summary>One audited state change.</summary>
/// <param name="Seq">Number of the entry; increasing in the order entries were written.</param>
/// <param name="At">When the change committed.</param>
/// <param name="Actor">Id of the API key that made it (or of the job, e.g. <c>roster-republish</c>).</param>
/// <param name="ActorName">The name of that key (e.g. <c>industry department</c>); for a job, its id.</param>
/// <param name="Role">Role of that key.</param>
/// <param name="Action">What was done, e.g. <c>chain.leadBankPaired</c>.</param>
/// <param name="EntityType">Kind of entity changed.</param>
/// <param name="EntityId">Id of the entity changed.</param>
/// <param name="Details">What changed, as JSON.</param>
public sealed record AuditEntryResponse(long Seq, Instant At, string Actor, string ActorName, string Role, string Action, string EntityType, string EntityId, JsonElement Details);

internal sealed class AuditRow
{
    public long Seq { get; set; }
    public long Pos { get; set; }
    public Instant At { get; set; }
    public string Actor { get; set; } = "";
    public string? ActorName { get; set; }
    public string Role { get; set; } = "";
    public string Action { get; set; } = "";
    public string EntityType { get; set; } = "";
    public string EntityId { get; set; } = "";
    public string Details { get; set; } = "{}";
}

/// <summary>The audit trail, for the regulator.</summary>
public static class AuditApi
{
    // Paged by pos, not seq: only entries that no transaction still under way can precede ({settled}), so that a
    // reader's cursor never passes an entry that commits later (see SqlDialect.SettledToken). CAST(@After AS
    // BINARY(8)) is the rowversion of that number on SQL Server and the number itself on SQLite.
    internal const string ListSql = """
        SELECT a.seq, CAST(a.pos AS BIGINT) AS Pos, a.at, a.actor, k.name AS ActorName, a.role, a.action, a.entity_type AS EntityType, a.entity_id AS EntityId, a.details
        FROM audit_log a
        LEFT JOIN api_keys k ON k.id = a.actor
        WHERE a.pos > CAST(@After AS BINARY(8)) AND a.pos < {settled}
          AND (@EntityId IS NULL OR a.entity_id = @EntityId)
          AND (@Actor IS NULL OR a.actor = @Actor)
          AND (@From IS NULL OR a.at >= @From)
          AND (@To IS NULL OR a.at < @To)
        ORDER BY a.pos {limit}
        """;

    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Policies.Regulator);
        group.MapGet("/", ListAuditAsync)
            .WithSummary("Every state change in order (regulator). Filters: entityId, actor (key id), from/to (ISO instants, to exclusive).")
            .ProducesStandardErrors();
        return group;
    }

    public static async Task<Ok<Page<AuditEntryResponse>>> ListAuditAsync(
        Db db, string? entityId, string? actor, string? from, string? to, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = PageRequest.From(limit, cursor);
        var after = page.After.Length == 0 ? 0 : long.TryParse(page.After, out var pos) ? pos : throw new FieldValidationException("cursor", ErrorCodes.CursorInvalid);
        var rows = await db.QueryAsync<AuditRow>(ListSql, new
        {
            After = after,
            EntityId = entityId,
            Actor = actor,
            From = StorableRange.QueryInstant("from", from),
            To = StorableRange.QueryInstant("to", to),
            limit = page.FetchLimit,
        }, cancellationToken);
        return TypedResults.Ok(page.ToPage(rows, r => r.Pos.ToString(System.Globalization.CultureInfo.InvariantCulture), r =>
            new AuditEntryResponse(r.Seq, r.At, r.Actor, r.ActorName ?? r.Actor, r.Role, r.Action, r.EntityType, r.EntityId, JsonDocument.Parse(r.Details).RootElement.Clone())));
    }
}
