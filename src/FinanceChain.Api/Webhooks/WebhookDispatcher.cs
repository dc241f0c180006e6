using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Domain;
using FinanceChain.Domain.Webhooks;
using Hangfire;
using Microsoft.Extensions.Options;
using NodaTime;

namespace FinanceChain.Api.Webhooks;

internal sealed class DeliveryKey
{
    public string SubscriptionId { get; set; } = "";
    public string EventId { get; set; } = "";
}

internal sealed class AttemptRow
{
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public string Body { get; set; } = "";
    public Instant ScheduleStartedAt { get; set; }
    public int ScheduleStep { get; set; }
}

/// <summary>How one attempt ended.</summary>
/// <param name="Delivered">True for a 2xx answer.</param>
/// <param name="ResponseCode">The HTTP status, if the endpoint answered.</param>
/// <param name="Error">Why it failed, if it did.</param>
public sealed record WebhookAttemptOutcome(bool Delivered, int? ResponseCode, WebhookDeliveryError? Error);

/// <summary>
/// Delivers what the outbox recorded, as Hangfire jobs: right after a commit (<see cref="DeliverEventAsync"/>), every
/// minute for whatever is due (<see cref="DeliverDueAsync"/>, which also picks up attempts of a process that died), and
/// at each retry's time. At least once: a delivery is claimed with a conditional update (so two instances never make
/// the same attempt at once), POSTed with Standard Webhooks headers and signature, and only then marked delivered.
/// </summary>
public sealed class WebhookDispatcher(
    Db db,
    IClock clock,
    IHttpClientFactory httpClients,
    WebhookSecrets secrets,
    IBackgroundJobClient jobs,
    IOptions<WebhookOptions> options,
    ILogger<WebhookDispatcher> logger)
{
    public const string HttpClientName = "webhooks";
    public const string SweepJobId = "webhook-deliveries";

    /// <summary>Deliveries claimed per batch of the sweep, and delivered in parallel at most.</summary>
    internal const int BatchSize = 50;
    internal const int Parallelism = 8;

    /// <summary>How long a claim holds beyond the attempt's timeout; a claim older than that is taken over by the sweep.</summary>
    internal static readonly Duration ClaimMargin = Duration.FromSeconds(50);

    private const string DueCondition = "status IN ('pending', 'delivering') AND next_attempt_at <= @Now";

    internal const string DueSql = "SELECT subscription_id AS SubscriptionId, event_id AS EventId FROM webhook_deliveries WHERE "
        + DueCondition + " ORDER BY next_attempt_at {limit}";

    internal const string DueOfEventSql = "SELECT subscription_id AS SubscriptionId, event_id AS EventId FROM webhook_deliveries WHERE event_id = @EventId AND "
        + DueCondition;

    // The claim: only one of several concurrent claimers changes the row. The attempt is counted here, so that an
    // attempt cut short by a crash still counts once its claim lapses.
    internal const string ClaimSql = """
        UPDATE webhook_deliveries
        SET status = 'delivering', claim_token = @Token, next_attempt_at = @ClaimUntil, attempts = attempts + 1,
            schedule_step = schedule_step + 1, schedule_started_at = COALESCE(schedule_started_at, @Now), last_attempt_at = @Now
        WHERE subscription_id = @SubscriptionId AND event_id = @EventId AND status IN ('pending', 'delivering') AND next_attempt_at <= @Now
          AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = webhook_deliveries.subscription_id AND s.status = 'active')
        """;

    internal const string AttemptSql = """
        SELECT s.url, s.secret, e.body, d.schedule_started_at AS ScheduleStartedAt, d.schedule_step AS ScheduleStep
        FROM webhook_deliveries d
        JOIN webhook_subscriptions s ON s.id = d.subscription_id
        JOIN webhook_events e ON e.id = d.event_id
        WHERE d.subscription_id = @SubscriptionId AND d.event_id = @EventId AND d.claim_token = @Token
        """;

    private const string OwnClaim = "subscription_id = @SubscriptionId AND event_id = @EventId AND claim_token = @Token AND status = 'delivering'";

    internal const string DeliveredSql = """
        UPDATE webhook_deliveries
        SET status = 'delivered', delivered_at = @Now, next_attempt_at = NULL, claim_token = NULL, last_response_code = @ResponseCode, last_error = NULL
        WHERE
        """ + " " + OwnClaim;

    internal const string FailedSql = """
        UPDATE webhook_deliveries
        SET status = @Status, next_attempt_at = @NextAttemptAt, claim_token = NULL, last_response_code = @ResponseCode, last_error = @Error
        WHERE
        """ + " " + OwnClaim;

    internal const string EndpointSucceededSql = "UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = @SubscriptionId AND failing_since IS NOT NULL";

    internal const string EndpointFailedSql = "UPDATE webhook_subscriptions SET failing_since = COALESCE(failing_since, @Now) WHERE id = @SubscriptionId AND status = 'active'";

    internal const string DisableSql = """
        UPDATE webhook_subscriptions SET status = 'disabled', disabled_at = @Now
        WHERE id = @SubscriptionId AND status = 'active' AND (@Gone = 1 OR failing_since <= @FailingBefore)
        """;

    internal const string FailOutstandingSql = """
        UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, claim_token = NULL, last_error = COALESCE(last_error, 'endpointDisabled')
        WHERE subscription_id = @SubscriptionId AND status IN ('pending', 'delivering')
        """;

    private TimeSpan Timeout => TimeSpan.FromSeconds(Math.Max(1, options.Value.TimeoutSeconds));

    /// <summary>The sweep: delivers everything due, in batches, until nothing is due (at most a few batches per run).</summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        for (var batch = 0; batch < 20; batch++)
        {
            var due = await db.QueryAsync<DeliveryKey>(DueSql, new { Now = clock.GetCurrentInstant(), limit = BatchSize }, cancellationToken);
            delivered += await AttemptAllAsync(due, cancellationToken);
            if (due.Count < BatchSize)
            {
                break;
            }
        }

        return delivered;
    }

    /// <summary>Delivers the due deliveries of one event, right after the transaction that recorded it.</summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> DeliverEventAsync(string eventId, CancellationToken cancellationToken)
    {
        var due = await db.QueryAsync<DeliveryKey>(DueOfEventSql, new { EventId = eventId, Now = clock.GetCurrentInstant() }, cancellationToken);
        return await AttemptAllAsync(due, cancellationToken);
    }

    private async Task<int> AttemptAllAsync(IReadOnlyList<DeliveryKey> due, CancellationToken cancellationToken)
    {
        var delivered = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            if (await AttemptAsync(key.SubscriptionId, key.EventId, ct) is { Delivered: true })
            {
                Interlocked.Increment(ref delivered);
            }
        });
        return delivered;
    }

    /// <summary>
    /// Claims one delivery and makes one attempt: null when it is not due or another worker holds it. The outcome is
    /// written only if the claim is still this attempt's (a deleted subscription's delivery stays cancelled).
    /// </summary>
    public async Task<WebhookAttemptOutcome?> AttemptAsync(string subscriptionId, string eventId, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var token = Guid.NewGuid().ToString("N");
        var key = new { SubscriptionId = subscriptionId, EventId = eventId, Token = token };
        var claimed = await db.InTransactionAsync(
            (connection, transaction) => connection.ExecuteAsync(ClaimSql, new
            {
                SubscriptionId = subscriptionId,
                EventId = eventId,
                Token = token,
                Now = now,
                ClaimUntil = now + Duration.FromTimeSpan(Timeout) + ClaimMargin,
            }, transaction),
            cancellationToken);
        if (claimed != 1)
        {
            return null;
        }

        var attempt = await db.QuerySingleOrDefaultAsync<AttemptRow>(AttemptSql, key, cancellationToken);
        if (attempt is null)
        {
            return null;
        }

        WebhookAttemptOutcome outcome;
        try
        {
            outcome = await SendAsync(eventId, attempt, now, cancellationToken);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            logger.LogError(e, "The secret of webhook subscription {SubscriptionId} cannot be read; was the Data Protection key ring lost?", subscriptionId);
            outcome = new WebhookAttemptOutcome(false, null, WebhookDeliveryError.SecretUnreadable);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever went wrong, the attempt is over and counts as failed, so that the schedule still ends.
            logger.LogError(e, "Webhook {EventId} to subscription {SubscriptionId} failed unexpectedly.", eventId, subscriptionId);
            outcome = new WebhookAttemptOutcome(false, null, WebhookDeliveryError.ConnectionFailed);
        }

        await RecordOutcomeAsync(subscriptionId, eventId, token, attempt, outcome, cancellationToken);
        return outcome;
    }

    private async Task<WebhookAttemptOutcome> SendAsync(string eventId, AttemptRow attempt, Instant now, CancellationToken cancellationToken)
    {
        var secret = WebhookSecret.Parse(secrets.Unprotect(attempt.Secret));
        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, attempt.Url)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(attempt.Body)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("webhook-id", eventId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSignature.Sign(secret, eventId, timestamp, attempt.Body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("FinanceChain-Webhooks", "1"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 300
                ? new WebhookAttemptOutcome(true, code, null)
                : new WebhookAttemptOutcome(false, code, WebhookDeliveryError.HttpStatus);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttemptOutcome(false, null, WebhookDeliveryError.Timeout);
        }
        catch (HttpRequestException e) when (Refused(e))
        {
            logger.LogWarning("Webhook {EventId} not sent: {Url} resolves to no public address.", eventId, attempt.Url);
            return new WebhookAttemptOutcome(false, null, WebhookDeliveryError.AddressRefused);
        }
        catch (HttpRequestException e)
        {
            logger.LogInformation(e, "Webhook {EventId} could not be sent to {Url}.", eventId, attempt.Url);
            return new WebhookAttemptOutcome(false, null, WebhookDeliveryError.ConnectionFailed);
        }
    }

    private static bool Refused(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookAddressRefusedException)
            {
                return true;
            }
        }

        return false;
    }

    private async Task RecordOutcomeAsync(string subscriptionId, string eventId, string token, AttemptRow attempt, WebhookAttemptOutcome outcome, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var next = outcome.Delivered ? null : WebhookRetrySchedule.NextAttempt(attempt.ScheduleStartedAt, attempt.ScheduleStep, now, Random.Shared.NextDouble());
        var scheduleRetry = await db.InTransactionAsync(async (connection, transaction) =>
        {
            var key = new { SubscriptionId = subscriptionId, EventId = eventId, Token = token, Now = now, outcome.ResponseCode };
            if (outcome.Delivered)
            {
                await connection.ExecuteAsync(DeliveredSql, key, transaction);
                await connection.ExecuteAsync(EndpointSucceededSql, key, transaction);
                return false;
            }

            var mine = await connection.ExecuteAsync(FailedSql, new
            {
                SubscriptionId = subscriptionId,
                EventId = eventId,
                Token = token,
                Status = next is null ? "failed" : "pending",
                NextAttemptAt = next,
                outcome.ResponseCode,
                Error = EnumText.Of(outcome.Error!.Value),
            }, transaction) == 1;
            await connection.ExecuteAsync(EndpointFailedSql, key, transaction);
            var gone = outcome.ResponseCode == (int)HttpStatusCode.Gone;
            var disabled = await connection.ExecuteAsync(DisableSql, new
            {
                SubscriptionId = subscriptionId,
                Now = now,
                Gone = gone,
                FailingBefore = now - WebhookRetrySchedule.DisableAfter,
            }, transaction) == 1;
            if (disabled)
            {
                await connection.ExecuteAsync(FailOutstandingSql, key, transaction);
                logger.LogWarning("Webhook subscription {SubscriptionId} disabled: {Reason}.", subscriptionId, gone ? "its endpoint answered 410 Gone" : "its endpoint failed for 3 days");
            }

            return mine && !disabled && next is not null;
        }, cancellationToken);

        if (scheduleRetry)
        {
            ScheduleRetry(next!.Value - now);
        }
    }

    private void ScheduleRetry(Duration delay)
    {
        try
        {
            jobs.Schedule<WebhookDispatcher>(d => d.DeliverDueAsync(CancellationToken.None), delay.ToTimeSpan());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not schedule a webhook retry; the sweep will make it.");
        }
    }

    /// <summary>Registers the sweep, every minute.</summary>
    public static void RegisterSweep(IRecurringJobManagerV2 recurringJobs)
    {
        ArgumentNullException.ThrowIfNull(recurringJobs);
        recurringJobs.AddOrUpdate<WebhookDispatcher>(SweepJobId, d => d.DeliverDueAsync(CancellationToken.None), Cron.Minutely());
    }
}
