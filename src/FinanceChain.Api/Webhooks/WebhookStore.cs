using System.Data.Common;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using FinanceChain.Domain.Webhooks;
using NodaTime;

namespace FinanceChain.Api.Webhooks;

/// <summary>Whose a subscription is: a bank (its institution) or an enterprise. Institution and enterprise ids never collide (<c>ins_</c>, <c>ent_</c>).</summary>
public readonly record struct WebhookTenant(string Kind, string Id)
{
    public const string Institution = "institution";
    public const string Enterprise = "enterprise";

    /// <summary>The caller's tenant: its bank or its enterprise; null for admin and regulator.</summary>
    public static WebhookTenant? Of(Caller caller) => caller.Role switch
    {
        Role.Bank => new WebhookTenant(Institution, caller.BankInstitutionId),
        Role.Enterprise => new WebhookTenant(Enterprise, caller.OwnEnterpriseId),
        _ => null,
    };
}

/// <summary>An <c>Idempotency-Key</c> for creating a subscription: the stored (scoped, hashed) key and the body's fingerprint.</summary>
public sealed record WebhookIdempotency(string Key, string RequestHash);

internal sealed class SubscriptionRow
{
    public string Id { get; set; } = "";
    public string TenantKind { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public string Status { get; set; } = "";
    public Instant CreatedAt { get; set; }
    public Instant? FailingSince { get; set; }
    public Instant? DisabledAt { get; set; }
    public string? RequestHash { get; set; }

    public WebhookResponse ToResponse(IReadOnlyList<string> events) => new(
        Id, Url, events, EnumText.Parse<WebhookStatus>(Status), InstitutionId, EnterpriseId, CreatedAt, FailingSince, DisabledAt);

    public WebhookCreatedResponse ToCreated(IReadOnlyList<string> events, string secret) => new(
        Id, Url, events, secret, EnumText.Parse<WebhookStatus>(Status), InstitutionId, EnterpriseId, CreatedAt);

    private string? InstitutionId => TenantKind == WebhookTenant.Institution ? TenantId : null;
    private string? EnterpriseId => TenantKind == WebhookTenant.Enterprise ? TenantId : null;
}

internal sealed class SubscriptionEventRow
{
    public string SubscriptionId { get; set; } = "";
    public string EventType { get; set; } = "";
}

internal sealed class DeliveryRow
{
    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    public string Status { get; set; } = "";
    public int Attempts { get; set; }
    public Instant? LastAttemptAt { get; set; }
    public int? LastResponseCode { get; set; }
    public string? LastError { get; set; }
    public Instant? NextAttemptAt { get; set; }
    public Instant? DeliveredAt { get; set; }
    public Instant OccurredAt { get; set; }

    public WebhookDeliveryResponse ToResponse()
    {
        var status = EnumText.Parse<WebhookDeliveryStatus>(Status);
        return new WebhookDeliveryResponse(
            EventId,
            Type,
            status,
            Attempts,
            LastAttemptAt,
            LastResponseCode,
            LastError is null ? null : EnumText.Parse<WebhookDeliveryError>(LastError),
            // While delivering, next_attempt_at holds when the claim lapses: not a planned attempt.
            status == WebhookDeliveryStatus.Pending ? NextAttemptAt : null,
            DeliveredAt,
            OccurredAt);
    }
}

/// <summary>
/// Webhook subscriptions and their delivery logs, as the API shows them. A deleted subscription is kept (its deliveries
/// are cancelled) but never shown again. Secrets are stored protected (<see cref="WebhookSecrets"/>).
/// </summary>
public sealed class WebhookStore(Db db, AuditLog audit, IClock clock, WebhookSecrets secrets)
{
    /// <summary>The most subscriptions (active or disabled) one bank or enterprise may have.</summary>
    public const int MaxSubscriptionsPerTenant = 10;

    private const string SelectSubscription = """
        SELECT id, tenant_kind AS TenantKind, tenant_id AS TenantId, url, secret, status, created_at AS CreatedAt,
               failing_since AS FailingSince, disabled_at AS DisabledAt, request_hash AS RequestHash
        FROM webhook_subscriptions
        """;

    internal const string GetSubscriptionSql = SelectSubscription + " WHERE id = @Id AND status <> 'deleted'";

    internal const string ListSubscriptionsSql = SelectSubscription + """
         WHERE status <> 'deleted' AND id > @After AND (@TenantId IS NULL OR tenant_id = @TenantId)
         ORDER BY id {limit}
        """;

    internal const string FindByIdempotencyKeySql = SelectSubscription + " WHERE created_by = @CreatedBy AND idem_key = @IdemKey";

    internal const string CountSubscriptionsSql = "SELECT COUNT(*) FROM webhook_subscriptions WHERE tenant_id = @TenantId AND status <> 'deleted'";

    internal const string InsertSubscriptionSql = """
        INSERT INTO webhook_subscriptions (id, tenant_kind, tenant_id, url, secret, status, created_by, created_at,
                                           failing_since, disabled_at, deleted_at, idem_key, request_hash)
        VALUES (@Id, @TenantKind, @TenantId, @Url, @Secret, 'active', @CreatedBy, @CreatedAt, NULL, NULL, NULL, @IdemKey, @RequestHash)
        """;

    internal const string InsertSubscriptionEventSql =
        "INSERT INTO webhook_subscription_events (subscription_id, event_type, tenant_id) VALUES (@SubscriptionId, @EventType, @TenantId)";

    internal const string EventsOfSql =
        "SELECT subscription_id AS SubscriptionId, event_type AS EventType FROM webhook_subscription_events WHERE subscription_id IN @Ids";

    // Deleted subscriptions keep their type list out of the fan-out index.
    internal const string DeleteSubscriptionSql =
        "UPDATE webhook_subscriptions SET status = 'deleted', deleted_at = @At WHERE id = @Id AND tenant_id = @TenantId AND status <> 'deleted'";

    internal const string DeleteSubscriptionEventsSql = "DELETE FROM webhook_subscription_events WHERE subscription_id = @Id";

    internal const string CancelDeliveriesSql = """
        UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, claim_token = NULL
        WHERE subscription_id = @Id AND status IN ('pending', 'delivering')
        """;

    private const string SelectDelivery = """
        SELECT d.event_id AS EventId, e.type, d.status, d.attempts, d.last_attempt_at AS LastAttemptAt,
               d.last_response_code AS LastResponseCode, d.last_error AS LastError, d.next_attempt_at AS NextAttemptAt,
               d.delivered_at AS DeliveredAt, e.occurred_at AS OccurredAt
        FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
        """;

    // Newest first: event ids are time-ordered (to the millisecond), and the cursor is the last id of the previous page.
    internal const string ListDeliveriesSql = SelectDelivery + """
         WHERE d.subscription_id = @SubscriptionId AND (@Before = '' OR d.event_id < @Before) AND (@Status IS NULL OR d.status = @Status)
         ORDER BY d.event_id DESC {limit}
        """;

    internal const string GetDeliverySql = SelectDelivery + " WHERE d.subscription_id = @SubscriptionId AND d.event_id = @EventId";

    // A manual retry starts a new schedule: attempted now, then retried for 24 hours if it fails again.
    internal const string RetryDeliverySql = """
        UPDATE webhook_deliveries
        SET status = 'pending', next_attempt_at = @Now, schedule_step = 0, schedule_started_at = NULL, claim_token = NULL
        WHERE subscription_id = @SubscriptionId AND event_id = @EventId AND status IN ('pending', 'delivered', 'failed')
        """;

    internal const string EnableSubscriptionSql =
        "UPDATE webhook_subscriptions SET status = 'active', disabled_at = NULL, failing_since = NULL WHERE id = @Id AND status = 'disabled'";

    /// <summary>
    /// Creates a subscription for <paramref name="tenant"/> with a new secret and returns it with the secret, which is
    /// stored only protected. With an <paramref name="idempotency"/> key already used by this API key: the same body
    /// returns the first subscription again (<c>Replayed</c>), another body is a 422.
    /// </summary>
    public async Task<(WebhookCreatedResponse Response, bool Replayed)> CreateAsync(
        WebhookTenant tenant, Caller caller, string url, IReadOnlyList<string> events, WebhookIdempotency? idempotency, CancellationToken cancellationToken)
    {
        var secret = WebhookSecret.Generate().ToString();
        var row = new SubscriptionRow
        {
            Id = Ids.New("whk"),
            TenantKind = tenant.Kind,
            TenantId = tenant.Id,
            Url = url,
            Secret = secrets.Protect(secret),
            Status = EnumText.Of(WebhookStatus.Active),
            CreatedAt = clock.GetCurrentInstant(),
        };

        try
        {
            return await db.InTransactionAsync(async (connection, transaction) =>
            {
                if (idempotency is not null && await ReplayAsync(connection, transaction, caller, idempotency) is { } replay)
                {
                    return (replay, true);
                }

                var count = await connection.ExecuteScalarAsync<int>(CountSubscriptionsSql, new { TenantId = tenant.Id }, transaction);
                if (count >= MaxSubscriptionsPerTenant)
                {
                    throw new ConflictException(WebhookCodes.LimitReached, MaxSubscriptionsPerTenant);
                }

                await connection.ExecuteAsync(InsertSubscriptionSql, new
                {
                    row.Id,
                    row.TenantKind,
                    row.TenantId,
                    row.Url,
                    row.Secret,
                    CreatedBy = caller.KeyId,
                    row.CreatedAt,
                    IdemKey = idempotency?.Key,
                    idempotency?.RequestHash,
                }, transaction);
                await connection.ExecuteAsync(InsertSubscriptionEventSql, events.Select(e => new { SubscriptionId = row.Id, EventType = e, TenantId = tenant.Id }), transaction);
                await audit.AppendAsync(transaction, caller, "webhook.created", "webhook", row.Id, new { url, events });
                return (row.ToCreated(events, secret), false);
            }, cancellationToken);
        }
        catch (DbException e) when (idempotency is not null && db.Dialect.IsUniqueViolation(e))
        {
            // A concurrent request with the same key committed first: answer as it did.
            await using var connection = await db.OpenAsync(cancellationToken);
            return (await ReplayAsync(connection, null, caller, idempotency) ?? throw new InvalidOperationException("The idempotency key's subscription vanished."), true);
        }
    }

    private async Task<WebhookCreatedResponse?> ReplayAsync(DbConnection connection, DbTransaction? transaction, Caller caller, WebhookIdempotency idempotency)
    {
        var existing = await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(
            FindByIdempotencyKeySql, new { CreatedBy = caller.KeyId, IdemKey = idempotency.Key }, transaction);
        if (existing is null)
        {
            return null;
        }

        if (!string.Equals(existing.RequestHash, idempotency.RequestHash, StringComparison.Ordinal))
        {
            throw new UnprocessableException(WebhookCodes.IdempotencyKeyReused);
        }

        var events = await EventsOfAsync(connection, transaction, [existing.Id]);
        // The first response showed the subscription as created; so does its replay.
        existing.Status = EnumText.Of(WebhookStatus.Active);
        return existing.ToCreated(events[existing.Id], secrets.Unprotect(existing.Secret));
    }

    /// <summary>A subscription that is not deleted, or null.</summary>
    public async Task<WebhookResponse?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(GetSubscriptionSql, new { Id = id });
        return row is null ? null : row.ToResponse((await EventsOfAsync(connection, null, [id]))[id]);
    }

    /// <summary>The subscriptions of <paramref name="tenantId"/>, or of everyone when null, by id.</summary>
    public async Task<Page<WebhookResponse>> ListAsync(string? tenantId, PageRequest page, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<SubscriptionRow>(
            db.Sql(ListSubscriptionsSql), new { page.After, TenantId = tenantId, limit = page.FetchLimit })).AsList();
        var events = await EventsOfAsync(connection, null, rows.Take(page.Limit).Select(r => r.Id).ToList());
        return page.ToPage(rows, r => r.Id, r => r.ToResponse(events[r.Id]));
    }

    /// <summary>Deletes one of <paramref name="tenant"/>'s subscriptions: nothing more is delivered to it, and it is a 404 from now on.</summary>
    public async Task DeleteAsync(string id, WebhookTenant tenant, Caller caller, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync(DeleteSubscriptionSql, new { Id = id, TenantId = tenant.Id, At = clock.GetCurrentInstant() }, transaction) != 1)
            {
                throw new NotFoundException("webhook");
            }

            await connection.ExecuteAsync(DeleteSubscriptionEventsSql, new { Id = id }, transaction);
            await connection.ExecuteAsync(CancelDeliveriesSql, new { Id = id }, transaction);
            await audit.AppendAsync(transaction, caller, "webhook.deleted", "webhook", id);
            return 0;
        }, cancellationToken);

    /// <summary>The deliveries of a subscription, newest first, optionally of one status.</summary>
    public async Task<Page<WebhookDeliveryResponse>> ListDeliveriesAsync(string subscriptionId, WebhookDeliveryStatus? status, PageRequest page, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync<DeliveryRow>(ListDeliveriesSql, new
        {
            SubscriptionId = subscriptionId,
            Before = page.After,
            Status = status is null ? null : EnumText.Of(status.Value),
            limit = page.FetchLimit,
        }, cancellationToken);
        return page.ToPage(rows, r => r.EventId, r => r.ToResponse());
    }

    /// <summary>
    /// Makes a delivery due now, with a new retry schedule, and returns it. A disabled subscription is enabled again by
    /// this (its endpoint is being given another chance). A delivery being attempted right now is a 409.
    /// </summary>
    public async Task<WebhookDeliveryResponse> RetryAsync(string subscriptionId, string eventId, Caller caller, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            var key = new { SubscriptionId = subscriptionId, EventId = eventId, Now = clock.GetCurrentInstant() };
            if (await connection.ExecuteAsync(RetryDeliverySql, key, transaction) != 1)
            {
                var current = await connection.QuerySingleOrDefaultAsync<DeliveryRow>(GetDeliverySql, key, transaction);
                throw current is null ? new NotFoundException("webhookDelivery") : new ConflictException(WebhookCodes.DeliveryInProgress);
            }

            await connection.ExecuteAsync(EnableSubscriptionSql, new { Id = subscriptionId }, transaction);
            await audit.AppendAsync(transaction, caller, "webhook.deliveryRetried", "webhook", subscriptionId, new { eventId });
            return (await connection.QuerySingleAsync<DeliveryRow>(GetDeliverySql, key, transaction)).ToResponse();
        }, cancellationToken);

    private static async Task<Dictionary<string, IReadOnlyList<string>>> EventsOfAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> ids)
    {
        var result = ids.ToDictionary(id => id, _ => (IReadOnlyList<string>)[], StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }

        var rows = await connection.QueryAsync<SubscriptionEventRow>(EventsOfSql, new { Ids = ids }, transaction);
        foreach (var group in rows.GroupBy(r => r.SubscriptionId, StringComparer.Ordinal))
        {
            result[group.Key] = group.Select(r => r.EventType).Order(StringComparer.Ordinal).ToList();
        }

        return result;
    }
}
