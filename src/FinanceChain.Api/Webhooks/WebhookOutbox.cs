using System.Data;
using System.Text.Json;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Domain;
using FinanceChain.Domain.Webhooks;
using Hangfire;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NodaTime;

namespace FinanceChain.Api.Webhooks;

/// <summary>
/// Something that happened, for the subscribers among <paramref name="Recipients"/>.
/// </summary>
/// <param name="Type">One of <see cref="WebhookEventTypes"/>.</param>
/// <param name="Recipients">
/// The tenants told about it: institution ids (banks) and enterprise ids, mixed as needed (they never collide). Each
/// recipient's active subscriptions to <paramref name="Type"/> get one delivery; repeats count once.
/// </param>
/// <param name="Data">The resource as the API returns it (e.g. the <c>OfferResponse</c>); it becomes the body's <c>data</c>.</param>
public sealed record WebhookEvent(string Type, IReadOnlyCollection<string> Recipients, object Data)
{
    /// <summary>When it happened (the body's <c>timestamp</c>); default: now, by the service's clock.</summary>
    public Instant? OccurredAt { get; init; }
}

/// <summary>The body POSTed to the endpoint, as the Standard Webhooks specification recommends.</summary>
/// <param name="Type">The event type.</param>
/// <param name="Timestamp">When the event happened.</param>
/// <param name="Data">The resource as the API returns it.</param>
public sealed record WebhookBody(string Type, Instant Timestamp, object Data);

/// <summary>
/// The outbox: other features record webhook events in the transaction of the change that causes them, so that an
/// event exists exactly when its change committed. Delivery happens afterwards (<see cref="WebhookDispatcher"/>).
/// </summary>
/// <example>
/// <code>
/// var offer = await db.InTransactionAsync(async (connection, transaction) =>
/// {
///     // … the change itself …
///     // DispatchNow inside the work waits for the commit: delivered within seconds rather than at the next sweep.
///     outbox.DispatchNow(await outbox.RecordAsync(connection, transaction,
///         new WebhookEvent(WebhookEventTypes.OfferAccepted, [offer.InstitutionId], offer)));
///     return offer;
/// }, cancellationToken);
/// </code>
/// </example>
public sealed class WebhookOutbox(Db db, IClock clock, IOptions<JsonOptions> json, IBackgroundJobClient jobs, ILogger<WebhookOutbox> logger)
{
    /// <summary>Recipients per statement, well under SQL Server's 2,100 parameters.</summary>
    internal const int RecipientsPerStatement = 500;

    private const string ActiveSubscribers = """
        FROM webhook_subscription_events e JOIN webhook_subscriptions s ON s.id = e.subscription_id
        WHERE e.event_type = @Type AND e.tenant_id IN @Recipients AND s.status = 'active'
        """;

    // Written only when someone listens: most changes have no subscriber and cost this one statement.
    internal const string InsertEventSql = """
        INSERT INTO webhook_events (id, type, occurred_at, body)
        SELECT @Id, @Type, @OccurredAt, @Body
        WHERE EXISTS (SELECT 1
        """ + "\n" + ActiveSubscribers + ")";

    internal const string FanOutSql = """
        INSERT INTO webhook_deliveries (subscription_id, event_id, status, attempts, schedule_step, schedule_started_at, next_attempt_at,
                                        claim_token, last_attempt_at, last_response_code, last_error, delivered_at, created_at)
        SELECT s.id, @Id, 'pending', 0, 0, NULL, @Now, NULL, NULL, NULL, NULL, NULL, @Now
        """ + "\n" + ActiveSubscribers;

    /// <summary>
    /// Records <paramref name="event"/> inside the caller's transaction: one statement when nobody subscribes, two when
    /// someone does (the event, then one delivery per subscription). Returns the event's id (its <c>webhook-id</c>),
    /// or null when no active subscription wants it. Nothing is sent until the transaction commits.
    /// </summary>
    public async Task<string?> RecordAsync(IDbConnection connection, IDbTransaction transaction, WebhookEvent @event)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(@event);
        if (!WebhookEventTypes.IsKnown(@event.Type))
        {
            throw new ArgumentException($"'{@event.Type}' is not a webhook event type.", nameof(@event));
        }

        var recipients = @event.Recipients.Where(r => !string.IsNullOrEmpty(r)).Distinct(StringComparer.Ordinal).ToList();
        if (recipients.Count == 0)
        {
            return null;
        }

        var now = clock.GetCurrentInstant();
        var occurredAt = @event.OccurredAt ?? now;
        var id = Ids.New("evt");
        var body = JsonSerializer.Serialize(new WebhookBody(@event.Type, occurredAt, @event.Data), json.Value.SerializerOptions);
        var recorded = false;
        foreach (var chunk in recipients.Chunk(RecipientsPerStatement))
        {
            if (!recorded)
            {
                recorded = await connection.ExecuteAsync(InsertEventSql, new { Id = id, @event.Type, OccurredAt = occurredAt, Body = body, Recipients = chunk }, transaction) == 1;
                if (!recorded)
                {
                    continue;
                }
            }

            await connection.ExecuteAsync(FanOutSql, new { Id = id, @event.Type, Now = now, Recipients = chunk }, transaction);
        }

        return recorded ? id : null;
    }

    /// <summary>
    /// After the transaction that recorded <paramref name="eventId"/> committed: has Hangfire deliver it now. Optional
    /// (the sweep every minute delivers whatever is due) but it makes delivery take seconds. Null does nothing.
    /// </summary>
    public void DispatchNow(string? eventId)
    {
        if (eventId is null)
        {
            return;
        }

        // Inside a transaction (InTransactionAsync, or a request's shared one under an Idempotency-Key) the change
        // commits later: enqueue then, never before the job could read the event.
        db.WhenCommitted(() =>
        {
            try
            {
                jobs.Enqueue<WebhookDispatcher>(d => d.DeliverEventAsync(eventId, CancellationToken.None));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The event is committed; the sweep will deliver it.
                logger.LogWarning(e, "Could not enqueue the delivery of webhook event {EventId}; the sweep will deliver it.", eventId);
            }
        });
    }
}
