using System.Net.Security;
using OrleansFs.ZooKeeper;

namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>Where the membership table lives in ZooKeeper and how the session to it behaves.</summary>
public class ZooKeeperClusteringOptions
{
    /// <summary>
    /// <c>host:port,host:port[/chroot]</c>. The cluster's node is <c>/&lt;ClusterId&gt;</c> under the chroot; a missing
    /// chroot path is created.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Requested ZooKeeper session timeout (the server clamps it).</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to keep trying the hosts when a session is (re)built.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Credentials, <c>scheme:credentials</c> (e.g. <c>digest:ofs:secret</c>). When set, the session authenticates
    /// and every znode the provider creates (the chroot path, the cluster node, the rows) is owned by this identity:
    /// others can neither change nor delete them. Every silo of a cluster must use the same credentials. A secret:
    /// never log it.
    /// </summary>
    public string? Auth { get; set; }

    /// <summary>
    /// With <see cref="Auth"/> set, whether anyone may still read the membership nodes (default true), so clients find
    /// gateways without credentials. False makes them readable only with the cluster's credentials.
    /// </summary>
    public bool WorldReadable { get; set; } = true;

    /// <summary>
    /// TLS to ZooKeeper's secure client port (which <see cref="ConnectionString"/> must then name): the options for the
    /// server being dialled, asked once per connection. Null: plain text.
    /// </summary>
    public Func<ZooKeeperEndpoint, SslClientAuthenticationOptions>? Tls { get; set; }

    /// <summary>The ACL for nodes this provider creates: open without credentials, else owned by them.</summary>
    internal IReadOnlyList<ZooKeeperAcl>? NodeAcl() => string.IsNullOrEmpty(Auth)
        ? null
        : WorldReadable ? ZooKeeperAcl.CreatorAllWorldReadAcl : ZooKeeperAcl.CreatorAllAcl;

    internal List<ZooKeeperAuth> AuthEntries() => string.IsNullOrEmpty(Auth) ? [] : [ZooKeeperAuth.Parse(Auth)];
}
