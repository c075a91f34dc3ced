using System.Globalization;

namespace OrleansFs.ZooKeeper;

/// <summary>
/// A parsed <c>host1:port1,host2:port2[/chroot]</c> string. The chroot starts at the first '/', the port defaults to
/// 2181, IPv6 hosts are written in brackets (<c>[::1]:2181</c>), and a lone "/" means no chroot.
/// </summary>
public sealed class ZooKeeperConnectionString
{
    public const int DefaultPort = 2181;

    private ZooKeeperConnectionString(IReadOnlyList<ZooKeeperEndpoint> hosts, string? chroot)
    {
        Hosts = hosts;
        Chroot = chroot;
    }

    public IReadOnlyList<ZooKeeperEndpoint> Hosts { get; }

    /// <summary>The client-side root every path is relative to, or null for none.</summary>
    public string? Chroot { get; }

    public static ZooKeeperConnectionString Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) throw Bad(connectionString, "it is empty");
        var text = connectionString.Trim();
        int slash = text.IndexOf('/');
        string? chroot = null;
        if (slash >= 0)
        {
            chroot = text[slash..];
            text = text[..slash];
            if (chroot == "/") chroot = null;
            else if (ZooKeeperPath.FindProblem(chroot) is { } problem) throw Bad(connectionString, "chroot: " + problem);
        }
        var hosts = new List<ZooKeeperEndpoint>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0) throw Bad(connectionString, "a host entry is empty");
            hosts.Add(ParseHost(connectionString, part));
        }
        return new ZooKeeperConnectionString(hosts, chroot);
    }

    /// <summary>The same hosts with no chroot: used to create a missing chroot path.</summary>
    public ZooKeeperConnectionString WithoutChroot() => new(Hosts, null);

    public override string ToString() => string.Join(",", Hosts) + Chroot;

    private static ZooKeeperEndpoint ParseHost(string whole, string part)
    {
        string host;
        string? port = null;
        if (part.StartsWith('['))
        {
            int close = part.IndexOf(']');
            if (close < 0) throw Bad(whole, $"'{part}' has no closing ']'");
            host = part[1..close];
            var rest = part[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':') throw Bad(whole, $"'{part}' has text after ']' that is not a port");
                port = rest[1..];
            }
        }
        else
        {
            int colon = part.LastIndexOf(':');
            if (colon >= 0 && part.IndexOf(':') != colon) throw Bad(whole, $"IPv6 host '{part}' must be written as [address]:port");
            host = colon >= 0 ? part[..colon] : part;
            port = colon >= 0 ? part[(colon + 1)..] : null;
        }
        if (host.Length == 0) throw Bad(whole, $"'{part}' has no host name");
        if (port is null) return new ZooKeeperEndpoint(host, DefaultPort);
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
            throw Bad(whole, $"'{port}' in '{part}' is not a port number");
        return new ZooKeeperEndpoint(host, number);
    }

    private static FormatException Bad(string? whole, string reason) =>
        new($"Invalid ZooKeeper connection string '{whole}': {reason}.");
}
