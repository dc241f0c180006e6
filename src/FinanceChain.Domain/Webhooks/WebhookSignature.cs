using System.Security.Cryptography;
using System.Text;

namespace FinanceChain.Domain.Webhooks;

/// <summary>
/// Standard Webhooks symmetric signatures: <c>v1,</c> + base64 of HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c>,
/// keyed with the secret's decoded bytes. The <c>webhook-signature</c> header may carry several signatures
/// separated by spaces (for secret rotation); one valid <c>v1</c> signature suffices.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The version tag of symmetric (HMAC-SHA256) signatures.</summary>
    public const string Version = "v1";

    /// <summary>The signature of one message: <c>v1,&lt;base64&gt;</c>.</summary>
    public static string Sign(WebhookSecret secret, string id, long unixTimestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(body);
        return Version + "," + Convert.ToBase64String(Mac(secret, id, unixTimestamp, body));
    }

    /// <summary>
    /// True when one of the space-separated signatures in <paramref name="header"/> is a valid <c>v1</c> signature of the
    /// message. Compares in constant time. It does not check the timestamp's age: a receiver must also refuse old timestamps.
    /// </summary>
    public static bool Verify(WebhookSecret secret, string id, long unixTimestamp, string body, string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        var expected = Mac(secret, id, unixTimestamp, body);
        foreach (var candidate in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = candidate.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !candidate.AsSpan(0, comma).SequenceEqual(Version))
            {
                continue;
            }

            var given = new byte[expected.Length];
            if (Convert.TryFromBase64String(candidate[(comma + 1)..], given, out var written)
                && written == expected.Length
                && CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Mac(WebhookSecret secret, string id, long unixTimestamp, string body) =>
        HMACSHA256.HashData(secret.Key, Encoding.UTF8.GetBytes($"{id}.{unixTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{body}"));
}
