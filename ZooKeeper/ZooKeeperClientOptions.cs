using System.Net.Security;

namespace OrleansFs.ZooKeeper;

/// <summary>Settings for one <see cref="ZooKeeperClient"/> session.</summary>
public sealed class ZooKeeperClientOptions
{
    /// <summary><c>host:port,host:port[/chroot]</c>.</summary>
    public string ConnectionString { get; set; } = "127.0.0.1:2181";

    /// <summary>Requested session timeout; the server clamps it and the client then uses the negotiated value.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="ZooKeeperClient.ConnectAsync"/> keeps trying the hosts before it gives up.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Set with <see cref="SessionPassword"/> to resume an existing session instead of creating one.</summary>
    public long SessionId { get; set; }

    public byte[]? SessionPassword { get; set; }

    /// <summary>
    /// Credentials sent right after each handshake, before anything else (e.g. <see cref="ZooKeeperAuth.Digest"/>).
    /// <see cref="ZooKeeperClient.ConnectAsync"/> returns only once the server has accepted them all.
    /// </summary>
    public List<ZooKeeperAuth> Auth { get; set; } = [];

    /// <summary>
    /// TLS: when set, every connection runs TLS (to ZooKeeper's <c>secureClientPort</c>, which the connection string
    /// must then name) with the options this returns for the server being dialled. It is called once per connection,
    /// so a renewed client certificate or CA bundle is used from the next connection on. When no server of the list
    /// completes a handshake before the first session, <see cref="ZooKeeperClient.ConnectAsync"/> fails at once with
    /// <see cref="ZooKeeperTlsException"/> saying why.
    /// </summary>
    public Func<ZooKeeperEndpoint, SslClientAuthenticationOptions>? Tls { get; set; }
}
