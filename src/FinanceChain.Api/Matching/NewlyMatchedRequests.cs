using System.Data.Common;
using Dapper;
using FinanceChain.Api.Webhooks;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Matching;

/// <summary>
/// <c>financingRequest.matched</c> for the live requests that a product change (posted or replaced) makes newly
/// eligible for that product, to the product's bank only, found through the reverse matching index and recorded in
/// the product change's own transaction. Requests the product was already eligible for before the change get none.
/// </summary>
public sealed class NewlyMatchedRequests(RequestIndexCache requests, WebhookOutbox outbox, IClock clock)
{
    /// <summary>Requests read per statement, well under SQL Server's 2,100 parameters.</summary>
    private const int RequestsPerStatement = 500;

    internal const string RequestsSql = FinancingRequestStore.SelectRequest + " " + """
        WHERE r.id IN @Ids AND r.status IN ('open', 'offered') AND r.expires_at > @Now
        ORDER BY r.id
        """;

    /// <summary>
    /// Records one event per live request that <paramref name="after"/> is eligible for and <paramref name="before"/>
    /// (the product's terms before the change; null for a new product) was not, inside <paramref name="transaction"/>.
    /// Returns the ids of the events recorded (none when the bank subscribes to none), to dispatch after the commit.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecordAsync(
        DbConnection connection, DbTransaction transaction, ProductTerms? before, ProductTerms after, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var snapshot = await requests.CurrentWithoutWaitingAsync(cancellationToken);
        var eligible = snapshot.Index.Matching([after], null, int.MaxValue, now);
        if (eligible.Count == 0)
        {
            return [];
        }

        var already = before is { Active: true }
            ? snapshot.Index.Matching([before], null, int.MaxValue, now).ToHashSet(StringComparer.Ordinal)
            : [];
        var newly = eligible.Where(id => !already.Contains(id)).ToList();
        var recorded = new List<string>();
        foreach (var chunk in newly.Chunk(RequestsPerStatement))
        {
            var rows = await connection.QueryAsync<RequestRow>(RequestsSql, new { Ids = chunk, Now = now }, transaction);
            foreach (var row in rows)
            {
                var id = await outbox.RecordAsync(connection, transaction, WebhookEvents.FinancingRequestMatched(row.ToResponse(now), [after.InstitutionId]));
                if (id is not null)
                {
                    recorded.Add(id);
                }
            }
        }

        return recorded;
    }

    /// <summary>After the commit: has the event delivered now rather than at the next sweep.</summary>
    public void DispatchNow(string eventId) => outbox.DispatchNow(eventId);
}
