using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Matching;

/// <summary>The live financing requests as of one value of the requests change counter, indexed for banks' inboxes.</summary>
/// <param name="Version">The change counter the requests were read at: the snapshot holds every change up to it.</param>
/// <param name="Index">The reverse matching index over the requests that were open or offered.</param>
public sealed record RequestSnapshot(long Version, RequestIndex Index);

/// <summary>
/// One immutable <see cref="RequestIndex"/> per service instance, kept coherent with the database through the
/// <c>requests</c> change counter exactly as <see cref="MatchingIndexCache"/> keeps the products through theirs:
/// database triggers (migration 0019) increment the counter whenever a request is made or its status or expiry
/// changes, and stamp the request's <c>change_seq</c>; a read whose counter has moved reads the requests changed
/// since, applies them to a copy of the index and swaps the reference.
/// </summary>
public sealed class RequestIndexCache(Db db, ChangeCounters counters, IClock clock, ILogger<RequestIndexCache> logger) : IDisposable
{
    /// <summary>The name of the counter in <c>change_counters</c>.</summary>
    public const string CounterName = "requests";

    private const int OptimisticAttempts = 3;

    internal const string ReadCounterSql = "SELECT value FROM change_counters WHERE name = 'requests'";

    private const string SelectIndexed = """
        SELECT r.id, r.enterprise_id AS EnterpriseId, r.chain_id AS ChainId, r.amount_fen AS AmountFen, r.term_days AS TermDays,
               r.acceptable_types AS AcceptableTypes, r.collateral_offered AS CollateralOffered, r.max_rate_bps AS MaxRateBps,
               r.holds_note AS HoldsNote, r.has_confirmed_receivable AS HasConfirmedReceivable, r.status,
               r.expires_at AS ExpiresAt, e.size AS EnterpriseSize, e.region AS EnterpriseRegion
        FROM financing_requests r
        JOIN enterprises e ON e.id = r.enterprise_id
        """;

    internal const string IndexLiveSql = SelectIndexed + " WHERE r.status IN ('open', 'offered') AND r.expires_at > @Now";
    internal const string IndexChangedSql = SelectIndexed + " WHERE r.change_seq > @Since";

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private RequestSnapshot? _current;

    /// <summary>The live requests as they are in the database now (or later).</summary>
    public async Task<RequestSnapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var version = (await counters.ReadAsync(cancellationToken)).Requests;
        return await AtLeastAsync(version, cancellationToken);
    }

    /// <summary>
    /// The live requests as read without waiting for writers, for use inside a write transaction (where reading
    /// inside another transaction would wait for this one): when requests keep changing it gives the last consistent
    /// snapshot, which may miss requests committed while the caller's transaction runs.
    /// </summary>
    public async Task<RequestSnapshot> CurrentWithoutWaitingAsync(CancellationToken cancellationToken)
    {
        long version;
        await using (var connection = await db.OpenAsync(cancellationToken))
        {
            version = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ReadCounterSql, cancellationToken: cancellationToken));
        }

        return await AtLeastAsync(version, cancellationToken, mayWait: false);
    }

    /// <summary>The live requests at <paramref name="version"/> of the counter or later, the counter read by the caller.</summary>
    public Task<RequestSnapshot> AtLeastAsync(long version, CancellationToken cancellationToken) => AtLeastAsync(version, cancellationToken, mayWait: true);

    private async Task<RequestSnapshot> AtLeastAsync(long version, CancellationToken cancellationToken, bool mayWait)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Version >= version)
        {
            return current;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            // Another request may have refreshed it while this one waited.
            current = Volatile.Read(ref _current);
            if (current is not null && current.Version >= version)
            {
                return current;
            }

            var fresh = await RefreshAsync(current, mayWait, cancellationToken);
            if (fresh is null)
            {
                return current ?? new RequestSnapshot(0, RequestIndex.Empty);
            }

            Volatile.Write(ref _current, fresh);
            return fresh;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private async Task<RequestSnapshot?> RefreshAsync(RequestSnapshot? previous, bool mayWait, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        await using (var connection = await db.OpenAsync(cancellationToken))
        {
            for (var attempt = 0; attempt < OptimisticAttempts; attempt++)
            {
                var before = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ReadCounterSql, cancellationToken: cancellationToken));
                var changed = await LoadAsync(connection, null, previous?.Version, now, cancellationToken);
                var after = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ReadCounterSql, cancellationToken: cancellationToken));
                if (before == after)
                {
                    return Apply(previous, changed, before);
                }
            }
        }

        if (!mayWait)
        {
            return null;
        }

        logger.LogInformation("Requests kept changing while the inbox index was read; reading them inside a transaction.");
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ReadCounterSql, transaction: transaction, cancellationToken: cancellationToken));
            var changed = await LoadAsync(connection, transaction, previous?.Version, now, cancellationToken);
            return Apply(previous, changed, version);
        }, cancellationToken);
    }

    private static async Task<IReadOnlyList<(IndexedRequest Request, bool Live)>> LoadAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, long? since, Instant now, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<RequestRow>(new CommandDefinition(
            since is null ? IndexLiveSql : IndexChangedSql, new { Since = since ?? 0, Now = now }, transaction, cancellationToken: cancellationToken));
        return rows
            .Select(r => (new IndexedRequest(r.Id, r.ToNeed(), r.ExpiresAt),
                EnumText.Parse<FinancingRequestStatus>(r.Status) is FinancingRequestStatus.Open or FinancingRequestStatus.Offered))
            .ToList();
    }

    private static RequestSnapshot Apply(RequestSnapshot? previous, IReadOnlyList<(IndexedRequest Request, bool Live)> changed, long version)
    {
        if (previous is null)
        {
            return new RequestSnapshot(version, RequestIndex.Build(changed.Where(c => c.Live).Select(c => c.Request)));
        }

        return new RequestSnapshot(
            version,
            previous.Index.With(changed.Where(c => c.Live).Select(c => c.Request), changed.Where(c => !c.Live).Select(c => c.Request.Id)));
    }
}
