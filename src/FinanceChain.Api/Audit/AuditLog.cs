using System.Data.Common;
using System.Text.Json;
using Dapper;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using NodaTime;

namespace FinanceChain.Api.Audit;

/// <summary>
/// Appends to the audit trail inside the caller's transaction, so that a change and its audit entry
/// commit or roll back together. Entries are never updated or deleted (the schema refuses it).
/// </summary>
public sealed class AuditLog(IClock clock)
{
    private const string InsertSql = """
        INSERT INTO audit_log (at, actor, role, action, entity_type, entity_id, details)
        VALUES (@At, @Actor, @Role, @Action, @EntityType, @EntityId, @Details)
        """;

    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    public Task AppendAsync(DbTransaction transaction, Caller caller, string action, string entityType, string entityId, object? details = null) =>
        AppendAsync(transaction, caller.KeyId, caller.Role.ToString().ToLowerInvariant(), action, entityType, entityId, details);

    public Task AppendAsync(DbTransaction transaction, string actor, string role, string action, string entityType, string entityId, object? details = null) =>
        transaction.Connection!.ExecuteAsync(InsertSql, new
        {
            At = clock.GetCurrentInstant(),
            Actor = actor,
            Role = role,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Details = JsonSerializer.Serialize(details ?? new { }, DetailsJson),
        }, transaction);

    internal static IEnumerable<string> SqlStatements() => [InsertSql];
}
