using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Webhooks;

/// <summary>The texts of the webhooks' errors: <c>WebhookTexts.resx</c> (Simplified Chinese) and <c>WebhookTexts.en.resx</c>.</summary>
[Texts]
public sealed class WebhookTexts;

/// <summary>The codes of the webhooks' errors.</summary>
public static class WebhookCodes
{
    public const string NotFound = "webhookNotFound";
    public const string DeliveryNotFound = "webhookDeliveryNotFound";
    public const string UrlInvalid = "webhookUrlInvalid";
    public const string UrlTooLong = "webhookUrlTooLong";
    public const string UrlNotHttps = "webhookUrlNotHttps";
    public const string UrlHasCredentials = "webhookUrlHasCredentials";
    public const string UrlNotPublic = "webhookUrlNotPublic";
    public const string UrlUnresolvable = "webhookUrlUnresolvable";
    public const string EventsRequired = "webhookEventsRequired";
    public const string EventsTooMany = "webhookEventsTooMany";
    public const string EventUnknown = "webhookEventUnknown";
    public const string LimitReached = "webhookLimitReached";
    public const string DeliveryInProgress = "webhookDeliveryInProgress";
    public const string DeliveryStatusUnknown = "webhookDeliveryStatusUnknown";
    public const string IdempotencyKeyInvalid = "webhookIdempotencyKeyInvalid";
    public const string IdempotencyKeyReused = "webhookIdempotencyKeyReused";

    /// <summary>Every code above, for the test that each has both texts.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        NotFound, DeliveryNotFound, UrlInvalid, UrlTooLong, UrlNotHttps, UrlHasCredentials, UrlNotPublic, UrlUnresolvable,
        EventsRequired, EventsTooMany, EventUnknown, LimitReached, DeliveryInProgress, DeliveryStatusUnknown,
        IdempotencyKeyInvalid, IdempotencyKeyReused,
    ];
}
