using System.Net;
using System.Net.Sockets;
using FinanceChain.Api.Errors;
using FinanceChain.Domain.Webhooks;
using Microsoft.Extensions.Options;

namespace FinanceChain.Api.Webhooks;

/// <summary>Resolves host names for the SSRF guard; replaced in tests so that no test depends on real DNS.</summary>
public interface IWebhookDnsResolver
{
    /// <summary>The addresses <paramref name="host"/> resolves to (empty or an exception when it does not resolve).</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The operating system's resolver.</summary>
public sealed class SystemDnsResolver : IWebhookDnsResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>A delivery was not attempted because the endpoint's host resolved to no public address.</summary>
public sealed class WebhookAddressRefusedException(string host)
    : Exception($"The webhook host '{host}' resolves to no public address; no connection was made.")
{
    public string Host { get; } = host;
}

/// <summary>
/// The SSRF guard. At subscription time a URL must be <c>https</c>, without credentials, and its host (an address, or a
/// name and every address it resolves to) must be public (<see cref="PublicAddress"/>). At delivery time the
/// connection itself goes through <see cref="ConnectAsync"/>: the host is resolved again, addresses that are not public
/// are dropped, and the socket connects to a checked address, so that a name re-pointed at an internal address after
/// subscription (DNS rebinding) never reaches it. <c>Webhooks:AllowPrivateAddresses=true</c> lifts both checks.
/// </summary>
public sealed class WebhookAddressGuard(IWebhookDnsResolver resolver, IOptions<WebhookOptions> options)
{
    /// <summary>The longest URL accepted.</summary>
    public const int MaxUrlLength = 2000;

    private bool AllowPrivate => options.Value.AllowPrivateAddresses;

    /// <summary>The error for the <c>url</c> field, or null when a subscription may use <paramref name="url"/>.</summary>
    public async Task<FieldError?> CheckUrlAsync(string? url, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
        {
            return new FieldError(WebhookCodes.UrlInvalid);
        }

        if (url.Length > MaxUrlLength)
        {
            return new FieldError(WebhookCodes.UrlTooLong, MaxUrlLength);
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !AllowPrivate)
        {
            return new FieldError(WebhookCodes.UrlNotHttps);
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return new FieldError(WebhookCodes.UrlHasCredentials);
        }

        if (AllowPrivate)
        {
            return null;
        }

        var host = HostOf(uri.IdnHost);
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await resolver.ResolveAsync(host, cancellationToken);
            }
            catch (SocketException)
            {
                addresses = [];
            }

            if (addresses.Length == 0)
            {
                return new FieldError(WebhookCodes.UrlUnresolvable, host);
            }
        }

        var refused = addresses.FirstOrDefault(a => !PublicAddress.IsPublic(a));
        return refused is null ? null : new FieldError(WebhookCodes.UrlNotPublic, refused.ToString());
    }

    /// <summary>
    /// <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the request's host, keeps its public addresses (all of
    /// them when private addresses are allowed) and connects to the first that answers. With none left it throws
    /// <see cref="WebhookAddressRefusedException"/> before any connection is made.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = HostOf(context.DnsEndPoint.Host);
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        var allowed = addresses.Where(a => AllowPrivate || PublicAddress.IsPublic(a)).ToList();
        if (allowed.Count == 0)
        {
            throw new WebhookAddressRefusedException(host);
        }

        SocketException? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    // An IPv6 literal comes in brackets from a URI: [::1].
    private static string HostOf(string host) =>
        host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
}
