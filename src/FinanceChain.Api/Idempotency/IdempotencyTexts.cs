using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Idempotency;

/// <summary>The texts of <c>Idempotency-Key</c>: <c>IdempotencyTexts.resx</c>, <c>IdempotencyTexts.en.resx</c>.</summary>
[Texts]
public sealed class IdempotencyTexts;

/// <summary>Codes of the <c>Idempotency-Key</c> errors.</summary>
public static class IdempotencyCodes
{
    /// <summary>422: the key was used with another body.</summary>
    public const string KeyReused = "idempotencyKeyReused";

    /// <summary>409: the first request with the key is still running.</summary>
    public const string KeyInProgress = "idempotencyKeyInProgress";

    /// <summary>409: another retry with the key is running.</summary>
    public const string KeyRetriedConcurrently = "idempotencyKeyRetriedConcurrently";

    /// <summary>{0} the longest key: one non-blank value.</summary>
    public const string KeyForm = "idempotencyKeyForm";
}
