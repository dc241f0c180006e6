using NodaTime;

namespace FinanceChain.Api.Webhooks;

/// <summary>A new webhook subscription for the caller's bank or enterprise.</summary>
/// <param name="Url">
/// Where events are POSTed: an <c>https</c> URL whose host resolves to public addresses only (no loopback, private,
/// shared, link-local or metadata addresses), at most 2000 characters, without user name or password.
/// </param>
/// <param name="Events">
/// The event types to receive, exactly as named: <c>financingRequest.matched</c>, <c>offer.created</c>,
/// <c>offer.accepted</c>, <c>offer.declined</c>, <c>financingRequest.withdrawn</c>, <c>financingRequest.expired</c>,
/// <c>receivable.registered</c>, <c>note.received</c>, <c>note.dueSoon</c>. At least one; repeats count once.
/// </param>
public sealed record CreateWebhookRequest(string Url, IReadOnlyList<string> Events);

/// <summary>Whether a subscription receives events.</summary>
public enum WebhookStatus
{
    /// <summary>Events are delivered.</summary>
    Active,
    /// <summary>Its endpoint failed for 3 days without a success (or answered 410 Gone): nothing is delivered until a delivery is retried by hand.</summary>
    Disabled,
}

/// <summary>A subscription just created. <paramref name="Secret"/> is shown only in this response (and its idempotent replays).</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Events">The event types it receives, in alphabetical order.</param>
/// <param name="Secret">The signing secret, <c>whsec_</c> + base64 of 32 random bytes: the HMAC-SHA256 key is its decoded bytes. Store it; it is never shown again.</param>
/// <param name="Status">Always <c>active</c> at creation.</param>
/// <param name="InstitutionId">The bank it belongs to, for a bank's subscription.</param>
/// <param name="EnterpriseId">The enterprise it belongs to, for an enterprise's subscription.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record WebhookCreatedResponse(
    string Id,
    string Url,
    IReadOnlyList<string> Events,
    string Secret,
    WebhookStatus Status,
    string? InstitutionId,
    string? EnterpriseId,
    Instant CreatedAt);

/// <summary>A subscription as listed: never its secret.</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Events">The event types it receives, in alphabetical order.</param>
/// <param name="Status">Active or disabled.</param>
/// <param name="InstitutionId">The bank it belongs to, for a bank's subscription.</param>
/// <param name="EnterpriseId">The enterprise it belongs to, for an enterprise's subscription.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="FailingSince">The first failed attempt since the endpoint last answered with a 2xx; null while it succeeds. After 3 days the subscription is disabled.</param>
/// <param name="DisabledAt">When it was disabled, if it is.</param>
public sealed record WebhookResponse(
    string Id,
    string Url,
    IReadOnlyList<string> Events,
    WebhookStatus Status,
    string? InstitutionId,
    string? EnterpriseId,
    Instant CreatedAt,
    Instant? FailingSince,
    Instant? DisabledAt);

/// <summary>Where a delivery stands.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its first attempt or its next retry (<c>nextAttemptAt</c>).</summary>
    Pending,
    /// <summary>Being attempted right now.</summary>
    Delivering,
    /// <summary>The endpoint answered with a 2xx.</summary>
    Delivered,
    /// <summary>Given up: every attempt of 24 hours failed, or the subscription was disabled. A manual retry sends it again.</summary>
    Failed,
}

/// <summary>Why the last attempt failed.</summary>
public enum WebhookDeliveryError
{
    /// <summary>The endpoint answered with a status other than 2xx (see <c>lastResponseCode</c>; redirects are not followed).</summary>
    HttpStatus,
    /// <summary>No answer within the timeout (10 seconds).</summary>
    Timeout,
    /// <summary>No connection could be made (refused, reset, TLS failure, name not found).</summary>
    ConnectionFailed,
    /// <summary>The host resolved only to addresses that are not public, so no connection was attempted.</summary>
    AddressRefused,
    /// <summary>Never attempted: the subscription was disabled first.</summary>
    EndpointDisabled,
    /// <summary>Not sent: the stored secret could not be read (the service's key ring was lost). Create the subscription again.</summary>
    SecretUnreadable,
}

/// <summary>One event as delivered to one subscription.</summary>
/// <param name="Id">The event's id: also the <c>webhook-id</c> header, the same on every attempt, for the receiver to deduplicate.</param>
/// <param name="Type">The event type.</param>
/// <param name="Status">Where the delivery stands.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="LastAttemptAt">When the last attempt started.</param>
/// <param name="LastResponseCode">The HTTP status of the last answer, if there was one.</param>
/// <param name="LastError">Why the last attempt failed; null when it succeeded or none was made.</param>
/// <param name="NextAttemptAt">When it is tried next, while pending.</param>
/// <param name="DeliveredAt">When the endpoint accepted it.</param>
/// <param name="OccurredAt">When the event happened (the body's <c>timestamp</c>).</param>
public sealed record WebhookDeliveryResponse(
    string Id,
    string Type,
    WebhookDeliveryStatus Status,
    int Attempts,
    Instant? LastAttemptAt,
    int? LastResponseCode,
    WebhookDeliveryError? LastError,
    Instant? NextAttemptAt,
    Instant? DeliveredAt,
    Instant OccurredAt);
