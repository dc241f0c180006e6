using System.Security.Cryptography;

namespace FinanceChain.Domain.Webhooks;

/// <summary>
/// A subscription's signing secret as the Standard Webhooks specification serialises it: <c>whsec_</c> followed by
/// the base64 of 24 to 64 random bytes. The bytes (not the text) are the HMAC key.
/// </summary>
public readonly record struct WebhookSecret
{
    /// <summary>The prefix that marks a symmetric signing secret.</summary>
    public const string Prefix = "whsec_";

    /// <summary>Bytes in a new secret (256 bits).</summary>
    public const int NewSecretBytes = 32;

    /// <summary>The fewest key bytes the specification allows (192 bits).</summary>
    public const int MinBytes = 24;

    /// <summary>The most key bytes the specification allows (512 bits).</summary>
    public const int MaxBytes = 64;

    private readonly byte[]? _key;

    private WebhookSecret(byte[] key) => _key = key;

    /// <summary>The HMAC key.</summary>
    public ReadOnlySpan<byte> Key => _key;

    /// <summary>A new secret from the operating system's cryptographic random number generator.</summary>
    public static WebhookSecret Generate() => new(RandomNumberGenerator.GetBytes(NewSecretBytes));

    /// <summary>
    /// Reads <c>whsec_&lt;base64&gt;</c> (the prefix may be left out, as the specification's libraries allow).
    /// Not base64, or a key of fewer than <see cref="MinBytes"/> or more than <see cref="MaxBytes"/> bytes, is refused.
    /// </summary>
    public static WebhookSecret Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var encoded = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : text;
        byte[] key;
        try
        {
            key = Convert.FromBase64String(encoded);
        }
        catch (FormatException e)
        {
            throw new FormatException("A webhook secret is whsec_ followed by base64.", e);
        }

        if (key.Length is < MinBytes or > MaxBytes)
        {
            throw new FormatException($"A webhook secret holds {MinBytes} to {MaxBytes} bytes.");
        }

        return new WebhookSecret(key);
    }

    /// <summary>The secret as shown to the subscriber: <c>whsec_</c> + base64.</summary>
    public override string ToString() => Prefix + Convert.ToBase64String(_key ?? []);
}
