using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Localization;
using NodaTime;

namespace FinanceChain.Api.Idempotency;

/// <summary>The texts of idempotency's errors: <c>IdempotencyTexts.resx</c>.</summary>
[Texts]
public sealed class IdempotencyTexts;

/// <summary>Codes of idempotency's errors.</summary>
public static class IdempotencyCodes
{
    /// <summary>400: the header is blank, repeated or longer than {0} characters.</summary>
    public const string KeyInvalid = "idempotencyKeyInvalid";

    /// <summary>422: the key was used with another request body.</summary>
    public const string KeyReused = "idempotencyKeyReused";

    /// <summary>409: a request with the key is running; {0} is the lease in seconds.</summary>
    public const string KeyInProgress = "idempotencyKeyInProgress";

    /// <summary>409: retries of the key keep racing each other.</summary>
    public const string KeyContended = "idempotencyKeyContended";

    /// <summary>409: the request outlived its lease ({0} seconds) and a retry took the key over; it changed nothing.</summary>
    public const string LeaseLost = "idempotencyLeaseLost";
}

/// <summary>A response stored for an idempotency key, replayed to a retry with the same body.</summary>
/// <param name="StatusCode">The status of the first response.</param>
/// <param name="Location">Its <c>Location</c> header, if any.</param>
/// <param name="Body">Its JSON body.</param>
public sealed record StoredResponse(int StatusCode, string? Location, string Body);

/// <summary>What a request with an idempotency key is to do: run, holding the key's lease, or replay a stored response.</summary>
/// <param name="LeaseToken">Set when the request runs: the token of its lease, which completing or releasing the key needs.</param>
/// <param name="Replay">Set when the key's change committed: the response to send again.</param>
public sealed record IdempotencyClaim(string? LeaseToken, StoredResponse? Replay);

internal sealed class IdempotencyRow
{
    public string RequestHash { get; set; } = "";
    public int? StatusCode { get; set; }
    public string? Location { get; set; }
    public string? ResponseBody { get; set; }
    public string LeaseToken { get; set; } = "";
    public Instant LeasedAt { get; set; }
}

/// <summary>
/// The <c>idempotency_keys</c> table: one row per (API key, scoped idempotency key). A row whose
/// <c>status_code</c> is NULL is a request in progress, holding a lease (<c>lease_token</c>, <c>leased_at</c>);
/// a completed row holds the response to replay.
/// </summary>
/// <remarks>
/// <para>The database's primary key decides which of two concurrent first requests runs: the insert of the other
/// fails with a unique violation, on every service instance alike. Nothing is kept in process memory.</para>
/// <para>The response is stored in the same transaction as the change it answers (<see cref="CompleteAsync"/> runs
/// inside the request's <see cref="Db.SharedTransaction"/>), as Stripe describes for its idempotency keys: a key
/// whose row is still in progress after <see cref="Lease"/> belongs to a request that died before anything of it
/// committed, so a retry takes the key over (with a new lease token) and runs once. The old request, should it
/// still be alive after all, finds its token gone when it completes and rolls back: a change commits at most
/// once per key.</para>
/// </remarks>
public sealed class IdempotencyStore(Db db, IClock clock)
{
    /// <summary>How long a request in progress holds its key before a retry may take it over.</summary>
    public static readonly Duration Lease = Duration.FromSeconds(60);

    internal const string InsertSql = """
        INSERT INTO idempotency_keys (owner, idem_key, request_hash, status_code, location, response_body, created_at, lease_token, leased_at)
        VALUES (@Owner, @Key, @RequestHash, NULL, NULL, NULL, @Now, @Token, @Now)
        """;

    internal const string FindSql = """
        SELECT request_hash AS RequestHash, status_code AS StatusCode, location, response_body AS ResponseBody,
               lease_token AS LeaseToken, leased_at AS LeasedAt
        FROM idempotency_keys WHERE owner = @Owner AND idem_key = @Key
        """;

    internal const string TakeOverSql = """
        UPDATE idempotency_keys SET lease_token = @Token, leased_at = @Now
        WHERE owner = @Owner AND idem_key = @Key AND status_code IS NULL AND lease_token = @Previous AND leased_at <= @ExpiredBefore
        """;

    internal const string CompleteSql = """
        UPDATE idempotency_keys SET status_code = @StatusCode, location = @Location, response_body = @ResponseBody
        WHERE owner = @Owner AND idem_key = @Key AND status_code IS NULL AND lease_token = @Token
        """;

    internal const string ReleaseSql = "DELETE FROM idempotency_keys WHERE owner = @Owner AND idem_key = @Key AND status_code IS NULL AND lease_token = @Token";

    /// <summary>
    /// Claims the key for a new request (or takes over one whose lease ran out), or finds the response an earlier
    /// request with the key committed. A key still leased is a 409, a key used with another request body a 422.
    /// </summary>
    public async Task<IdempotencyClaim> BeginAsync(string owner, string key, string requestHash, CancellationToken cancellationToken)
    {
        // A row can vanish between the failed insert and the read (the first request failed and released it),
        // or another retry can take it over first; then the claim is simply tried again.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var token = NewToken();
            var now = clock.GetCurrentInstant();
            try
            {
                await db.InTransactionAsync(
                    (connection, transaction) => connection.ExecuteAsync(InsertSql, new { Owner = owner, Key = key, RequestHash = requestHash, Now = now, Token = token }, transaction),
                    cancellationToken);
                return new IdempotencyClaim(token, null);
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

                if (existing.StatusCode is { } status)
                {
                    return new IdempotencyClaim(null, new StoredResponse(status, existing.Location, existing.ResponseBody ?? ""));
                }

                if (existing.LeasedAt + Lease > now)
                {
                    throw new ConflictException(IdempotencyCodes.KeyInProgress, (long)Lease.TotalSeconds);
                }

                // Still in progress after its lease: the request died before its change committed (the change
                // and its response commit together), so this retry runs in its place.
                var taken = await db.InTransactionAsync(
                    (connection, transaction) => connection.ExecuteAsync(TakeOverSql, new { Owner = owner, Key = key, Token = token, Now = now, Previous = existing.LeaseToken, ExpiredBefore = now - Lease }, transaction),
                    cancellationToken);
                if (taken == 1)
                {
                    return new IdempotencyClaim(token, null);
                }
            }
        }

        throw new ConflictException(IdempotencyCodes.KeyContended);
    }

    /// <summary>
    /// Stores the response of the request that holds the key's lease, inside <paramref name="transaction"/>: the
    /// request's own, so that the response commits with the change it answers. 409 when the lease was taken over.
    /// </summary>
    public static async Task CompleteAsync(DbTransaction transaction, string owner, string key, string leaseToken, StoredResponse response)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(response);
        var rows = await transaction.Connection!.ExecuteAsync(CompleteSql, new { Owner = owner, Key = key, Token = leaseToken, response.StatusCode, response.Location, ResponseBody = response.Body }, transaction);
        if (rows != 1)
        {
            throw new ConflictException(IdempotencyCodes.LeaseLost, (long)Lease.TotalSeconds);
        }
    }

    /// <summary>Forgets a key whose request failed, so that the client can retry it at once; a key taken over is left alone.</summary>
    public Task ReleaseAsync(string owner, string key, string leaseToken, CancellationToken cancellationToken) =>
        db.InTransactionAsync(
            (connection, transaction) => connection.ExecuteAsync(ReleaseSql, new { Owner = owner, Key = key, Token = leaseToken }, transaction),
            cancellationToken);

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
