using System.Data.Common;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using NodaTime;

namespace FinanceChain.Api.Idempotency;

/// <summary>A response stored for an idempotency key, replayed to a retry with the same body.</summary>
/// <param name="StatusCode">The status of the first response.</param>
/// <param name="Location">Its <c>Location</c> header, if any.</param>
/// <param name="Body">Its JSON body.</param>
public sealed record StoredResponse(int StatusCode, string? Location, string Body);

internal sealed class IdempotencyRow
{
    public string RequestHash { get; set; } = "";
    public int? StatusCode { get; set; }
    public string? Location { get; set; }
    public string? ResponseBody { get; set; }
}

/// <summary>
/// The <c>idempotency_keys</c> table: one row per (API key, scoped idempotency key). A row whose
/// <c>status_code</c> is NULL is a request in progress; a completed row holds the response to replay.
/// </summary>
/// <remarks>
/// The database's primary key decides which of two concurrent first requests runs: the insert of the other
/// fails with a unique violation, on every service instance alike. Nothing is kept in process memory.
/// </remarks>
public sealed class IdempotencyStore(Db db, IClock clock)
{
    internal const string InsertSql = """
        INSERT INTO idempotency_keys (owner, idem_key, request_hash, status_code, location, response_body, created_at)
        VALUES (@Owner, @Key, @RequestHash, NULL, NULL, NULL, @CreatedAt)
        """;

    internal const string FindSql = """
        SELECT request_hash AS RequestHash, status_code AS StatusCode, location, response_body AS ResponseBody
        FROM idempotency_keys WHERE owner = @Owner AND idem_key = @Key
        """;

    internal const string CompleteSql = """
        UPDATE idempotency_keys SET status_code = @StatusCode, location = @Location, response_body = @ResponseBody
        WHERE owner = @Owner AND idem_key = @Key AND status_code IS NULL
        """;

    internal const string ReleaseSql = "DELETE FROM idempotency_keys WHERE owner = @Owner AND idem_key = @Key AND status_code IS NULL";

    /// <summary>
    /// Claims the key for a new request, or finds what an earlier request with the key left: returns null
    /// when the caller should run the request (the key is now "in progress"), or the stored response to
    /// replay. A key still in progress is a 409, a key used with another request body a 422.
    /// </summary>
    public async Task<StoredResponse?> BeginAsync(string owner, string key, string requestHash, CancellationToken cancellationToken)
    {
        // A row can vanish between the failed insert and the read (the first request failed and released
        // it); then the insert is simply tried again.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                await db.InTransactionAsync(
                    (connection, transaction) => connection.ExecuteAsync(InsertSql, new { Owner = owner, Key = key, RequestHash = requestHash, CreatedAt = clock.GetCurrentInstant() }, transaction),
                    cancellationToken);
                return null;
            }
            catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
            {
                var existing = await db.QuerySingleOrDefaultAsync<IdempotencyRow>(FindSql, new { Owner = owner, Key = key }, cancellationToken);
                if (existing is null)
                {
                    continue;
                }

                if (!string.Equals(existing.RequestHash, requestHash, StringComparison.Ordinal))
                {
                    throw new UnprocessableException(IdempotencyCodes.KeyReused);
                }

                if (existing.StatusCode is not { } status)
                {
                    throw new ConflictException(IdempotencyCodes.KeyInProgress);
                }

                return new StoredResponse(status, existing.Location, existing.ResponseBody ?? "");
            }
        }

        throw new ConflictException(IdempotencyCodes.KeyRetriedConcurrently);
    }

    /// <summary>Stores the response of the request that holds the key, for later replays.</summary>
    public Task CompleteAsync(string owner, string key, StoredResponse response, CancellationToken cancellationToken) =>
        db.InTransactionAsync(
            (connection, transaction) => connection.ExecuteAsync(CompleteSql, new { Owner = owner, Key = key, response.StatusCode, response.Location, ResponseBody = response.Body }, transaction),
            cancellationToken);

    /// <summary>Forgets a key whose request failed, so that the client can retry it.</summary>
    public Task ReleaseAsync(string owner, string key, CancellationToken cancellationToken) =>
        db.InTransactionAsync(
            (connection, transaction) => connection.ExecuteAsync(ReleaseSql, new { Owner = owner, Key = key }, transaction),
            cancellationToken);
}
