using System.Net.Security;
using OrleansFs.Security;
using OrleansFs.ZooKeeper;

namespace OrleansFs.Grains.Hosting;

/// <summary>
/// The TLS options a silo's ZooKeeper sessions (membership, journal epochs) use: the `Security` CA and certificate,
/// asked per connection so renewed files are used. The server's certificate must name the host as the connection
/// string writes it (DNS or IP subject alternative name), as ZooKeeper's own Java client checks by default.
/// </summary>
public static class ZooKeeperTls
{
    /// <summary>Null when ZooKeeper is reached in plain text (`ZooKeeper:Tls:Enabled`, by default `Security:Enabled`).</summary>
    public static Func<ZooKeeperEndpoint, SslClientAuthenticationOptions>? For(ZooKeeperOptions zooKeeper, SecurityOptions security, CertificateSource certificates) =>
        zooKeeper.UsesTls(security) ? server => certificates.ClientOptions(server.Host) : null;
}
