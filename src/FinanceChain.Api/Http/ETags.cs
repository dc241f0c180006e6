using FinanceChain.Api.Errors;

namespace FinanceChain.Api.Http;

/// <summary>Strong ETags from a row version, and the <c>If-Match</c> rules for PUT.</summary>
public static class ETags
{
    public static string For(long version) => $"\"{version}\"";

    /// <summary>The version the client claims in <c>If-Match</c>: 428 when absent, 412 when malformed or weak.</summary>
    public static long RequiredVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new PreconditionRequiredException(ErrorCodes.IfMatchRequired);
        }

        // If-Match uses the strong comparison (RFC 9110 §13.1.1): a weak tag (W/"1") never matches.
        var tag = header.Trim();
        if (tag.Length < 3 || tag[0] != '"' || tag[^1] != '"' || !long.TryParse(tag[1..^1], out var version))
        {
            throw new PreconditionFailedException(ErrorCodes.IfMatchStale);
        }

        return version;
    }
}
