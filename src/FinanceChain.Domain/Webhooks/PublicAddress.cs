using System.Net;
using System.Net.Sockets;

namespace FinanceChain.Domain.Webhooks;

/// <summary>
/// Whether an IP address is on the public internet, for the webhooks' SSRF guard: loopback, private, shared (CGNAT),
/// link-local (including the cloud metadata address 169.254.169.254), unspecified, multicast, broadcast, documentation,
/// benchmarking and reserved ranges are not, in IPv4 and IPv6 alike; IPv6 forms that embed an IPv4 address
/// (IPv4-mapped, IPv4-compatible, NAT64, 6to4) are judged by the address they embed; Teredo is refused.
/// </summary>
public static class PublicAddress
{
    private static readonly (uint Network, int Bits)[] ReservedV4 =
    [
        (0x00000000, 8),   // 0.0.0.0/8 "this network", including 0.0.0.0
        (0x0A000000, 8),   // 10.0.0.0/8 private
        (0x64400000, 10),  // 100.64.0.0/10 shared address space (CGNAT)
        (0x7F000000, 8),   // 127.0.0.0/8 loopback
        (0xA9FE0000, 16),  // 169.254.0.0/16 link-local, cloud metadata
        (0xAC100000, 12),  // 172.16.0.0/12 private
        (0xC0000000, 24),  // 192.0.0.0/24 IETF protocol assignments
        (0xC0000200, 24),  // 192.0.2.0/24 documentation (TEST-NET-1)
        (0xC0586300, 24),  // 192.88.99.0/24 6to4 relay anycast (deprecated)
        (0xC0A80000, 16),  // 192.168.0.0/16 private
        (0xC6120000, 15),  // 198.18.0.0/15 benchmarking
        (0xC6336400, 24),  // 198.51.100.0/24 documentation (TEST-NET-2)
        (0xCB007100, 24),  // 203.0.113.0/24 documentation (TEST-NET-3)
        (0xE0000000, 4),   // 224.0.0.0/4 multicast
        (0xF0000000, 4),   // 240.0.0.0/4 reserved, and 255.255.255.255 broadcast
    ];

    /// <summary>True when <paramref name="address"/> is a public unicast address that a webhook may be sent to.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(address),
            AddressFamily.InterNetworkV6 => IsPublicV6(address),
            _ => false,
        };
    }

    private static bool IsPublicV4(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        var value = (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
        foreach (var (network, bits) in ReservedV4)
        {
            var mask = uint.MaxValue << (32 - bits);
            if ((value & mask) == network)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPublicV6(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);

        // ::ffff:a.b.c.d (IPv4-mapped): judged by the IPv4 address.
        if (b[..10].IndexOfAnyExcept((byte)0) < 0 && b[10] == 0xff && b[11] == 0xff)
        {
            return IsPublicV4(new IPAddress(b[12..]));
        }

        // ::/96: the unspecified address ::, loopback ::1 and the deprecated IPv4-compatible form.
        if (b[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return false;
        }

        // 64:ff9b::/96 NAT64 well-known prefix: judged by the IPv4 address it translates to.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return IsPublicV4(new IPAddress(b[12..]));
        }

        // 2002::/16 6to4: the IPv4 address is in bytes 2 to 5.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsPublicV4(new IPAddress(b[2..6]));
        }

        // Only the global unicast space 2000::/3 is public; that leaves out unique local fc00::/7, link-local
        // fe80::/10, site-local fec0::/10, multicast ff00::/8 and discard 100::/64. Within it: documentation
        // 2001:db8::/32 and Teredo 2001::/32 (which hides the IPv4 address it reaches) are refused.
        var globalUnicast = (b[0] & 0xe0) == 0x20;
        var documentation = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8;
        var teredo = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00;
        return globalUnicast && !documentation && !teredo;
    }
}
