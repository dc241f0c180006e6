namespace FinanceChain.Api.Webhooks;

/// <summary>Webhooks: the <c>Webhooks</c> configuration section.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Lifts the SSRF guard, at subscription and at delivery alike: plain <c>http</c> URLs and loopback, private and
    /// link-local addresses are accepted. For tests and closed networks only (default false).
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>How long one delivery attempt may take, connection included, before it counts as failed (default 10 s).</summary>
    public int TimeoutSeconds { get; set; } = 10;
}
