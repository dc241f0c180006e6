using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Keys;

/// <summary>A stored API key; only the hash of the key is kept.</summary>
public sealed class ApiKeyRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    public string? InstitutionId { get; set; }
    public string? EnterpriseId { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant? RevokedAt { get; set; }

    /// <summary>The name of the institution or enterprise the key is bound to; read by <see cref="KeyStore.FindActiveByIdAsync"/> only.</summary>
    public string? PartyName { get; set; }
    public string? InstitutionName { get; set; }
    public string? EnterpriseName { get; set; }
}

internal sealed class NamedIdRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
}

/// <summary>Creates, finds and revokes API keys.</summary>
/// <remarks>
/// Every request is authenticated, so the active keys found are kept in memory, each with the value of the
/// <c>keys</c> change counter it was read at (<see cref="ChangeCounters"/>, one query with the other counters). A kept
/// key answers only while the counter still has that value: a key revoked through any instance moves the counter, and
/// every instance looks it up again on its next request. Unknown keys are never kept, so made-up keys cost no memory.
/// The rows handed out are shared: callers read them and never change them.
/// </remarks>
public sealed class KeyStore(Db db, AuditLog audit, IClock clock, ChangeCounters counters)
{
    private readonly ConcurrentDictionary<string, Seen> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Seen> _byId = new(StringComparer.Ordinal);
    private long _seenVersion = -1;

    /// <summary>How many keys are kept in memory (by key and by id).</summary>
    internal int KeptCount => _byHash.Count + _byId.Count;

    /// <summary>A key as read at one value of the keys counter.</summary>
    private readonly record struct Seen(long Version, ApiKeyRow Row);

    internal const string FindActiveSql = """
        SELECT id, name, role, institution_id AS InstitutionId, enterprise_id AS EnterpriseId, created_at AS CreatedAt, revoked_at AS RevokedAt
        FROM api_keys WHERE key_hash = @Hash AND revoked_at IS NULL
        """;

    internal const string FindActiveByIdSql = """
        SELECT k.id, k.name, k.role, k.institution_id AS InstitutionId, k.enterprise_id AS EnterpriseId, k.created_at AS CreatedAt,
               k.revoked_at AS RevokedAt, COALESCE(i.name, e.name) AS PartyName
        FROM api_keys k
        LEFT JOIN institutions i ON i.id = k.institution_id
        LEFT JOIN enterprises e ON e.id = k.enterprise_id
        WHERE k.id = @Id AND k.revoked_at IS NULL
        """;

    internal const string InsertSql = """
        INSERT INTO api_keys (id, name, role, institution_id, enterprise_id, key_hash, created_at)
        VALUES (@Id, @Name, @Role, @InstitutionId, @EnterpriseId, @Hash, @CreatedAt)
        """;

    // Listed keys carry the names of what they are bound to, in the same query.
    private const string SelectNamed = """
        SELECT k.id, k.name, k.role, k.institution_id AS InstitutionId, k.enterprise_id AS EnterpriseId, k.created_at AS CreatedAt,
               k.revoked_at AS RevokedAt, i.name AS InstitutionName, e.name AS EnterpriseName
        FROM api_keys k
        LEFT JOIN institutions i ON i.id = k.institution_id
        LEFT JOIN enterprises e ON e.id = k.enterprise_id
        """;

    internal const string ListSql = SelectNamed + " WHERE k.id > @After ORDER BY k.id {limit}";

    internal const string GetSql = SelectNamed + " WHERE k.id = @Id";

    internal const string RevokeSql = "UPDATE api_keys SET revoked_at = @At WHERE id = @Id AND revoked_at IS NULL";

    internal const string InstitutionIdSql = "SELECT id, name FROM institutions WHERE id = @Id";
    internal const string EnterpriseIdSql = "SELECT id, name FROM enterprises WHERE id = @Id";

    /// <summary>The active key with this plain text, or null: from memory while the keys counter has not moved.</summary>
    public Task<ApiKeyRow?> FindActiveAsync(string plainKey, CancellationToken cancellationToken)
    {
        var hash = Hash(plainKey);
        return FindKeptAsync(_byHash, hash, FindActiveSql, new { Hash = hash }, cancellationToken);
    }

    /// <summary>
    /// The key with this id if it is still active, with the name of its institution or enterprise: what a signed-in
    /// person's session is checked against on every request, so that revoking the key ends the session.
    /// </summary>
    public Task<ApiKeyRow?> FindActiveByIdAsync(string id, CancellationToken cancellationToken) =>
        FindKeptAsync(_byId, id, FindActiveByIdSql, new { Id = id }, cancellationToken);

    // The kept key if it was read at the counter's current value; else the key as stored now, kept when active.
    private async Task<ApiKeyRow?> FindKeptAsync(
        ConcurrentDictionary<string, Seen> kept, string key, string sql, object parameters, CancellationToken cancellationToken)
    {
        var version = await CurrentVersionAsync(cancellationToken);
        if (kept.TryGetValue(key, out var seen) && seen.Version == version)
        {
            return seen.Row;
        }

        var row = await db.QuerySingleOrDefaultAsync<ApiKeyRow>(sql, parameters, cancellationToken);
        if (row is not null)
        {
            kept[key] = new Seen(version, row);
        }

        return row;
    }

    // The keys counter now; when it has moved past what the kept keys were read at, they are dropped (an entry of
    // another value never answers anyway: this only frees the memory).
    private async Task<long> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        var version = (await counters.ReadAsync(cancellationToken)).Keys;
        var seen = Volatile.Read(ref _seenVersion);
        if (version > seen && Interlocked.CompareExchange(ref _seenVersion, version, seen) == seen)
        {
            _byHash.Clear();
            _byId.Clear();
        }

        return version;
    }

    /// <summary>Creates a key and returns it with its plain text, which is never stored nor shown again.</summary>
    public async Task<(ApiKeyRow Row, string PlainKey)> CreateAsync(Role role, string name, string? institutionId, string? enterpriseId, string actor, string actorRole, CancellationToken cancellationToken)
    {
        var plain = "fc_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var row = new ApiKeyRow
        {
            Id = Ids.New("key"),
            Name = name,
            Role = role.ToString().ToLowerInvariant(),
            InstitutionId = institutionId,
            EnterpriseId = enterpriseId,
            CreatedAt = clock.GetCurrentInstant(),
        };

        await db.InTransactionAsync(async (connection, transaction) =>
        {
            // The key is bound to the id as stored, never to the text given (SQL Server compares ids without regard to case).
            if (institutionId is not null)
            {
                var institution = await connection.QuerySingleOrDefaultAsync<NamedIdRow>(InstitutionIdSql, new { Id = institutionId }, transaction)
                    ?? throw new FieldValidationException("institutionId", KeyCodes.NoSuchInstitution);
                (row.InstitutionId, row.InstitutionName) = (institution.Id, institution.Name);
            }

            if (enterpriseId is not null)
            {
                var enterprise = await connection.QuerySingleOrDefaultAsync<NamedIdRow>(EnterpriseIdSql, new { Id = enterpriseId }, transaction)
                    ?? throw new FieldValidationException("enterpriseId", KeyCodes.NoSuchEnterprise);
                (row.EnterpriseId, row.EnterpriseName) = (enterprise.Id, enterprise.Name);
            }

            await connection.ExecuteAsync(InsertSql, new { row.Id, row.Name, row.Role, row.InstitutionId, row.EnterpriseId, Hash = Hash(plain), row.CreatedAt }, transaction);
            await audit.AppendAsync(transaction, actor, actorRole, "key.created", "apiKey", row.Id, new { row.Name, row.Role, row.InstitutionId, row.EnterpriseId });
            return 0;
        }, cancellationToken);

        return (row, plain);
    }

    /// <summary>One key with the names of what it is bound to, revoked or not; null when there is none.</summary>
    public Task<ApiKeyRow?> GetAsync(string id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<ApiKeyRow>(GetSql, new { Id = id }, cancellationToken);

    public Task<IReadOnlyList<ApiKeyRow>> ListAsync(string after, int limit, CancellationToken cancellationToken) =>
        db.QueryAsync<ApiKeyRow>(ListSql, new { After = after, limit }, cancellationToken);

    public async Task<ApiKeyRow> RevokeAsync(string id, Caller caller, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(RevokeSql, new { Id = id, At = clock.GetCurrentInstant() }, transaction);
            var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(GetSql, new { Id = id }, transaction)
                ?? throw new NotFoundException("apiKey");
            if (changed == 0)
            {
                throw new ConflictException(KeyCodes.KeyAlreadyRevoked);
            }

            await audit.AppendAsync(transaction, caller, "key.revoked", "apiKey", id);
            return row;
        }, cancellationToken);

    // Keys are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    internal static string Hash(string plainKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plainKey)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
