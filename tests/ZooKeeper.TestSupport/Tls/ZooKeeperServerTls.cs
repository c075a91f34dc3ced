namespace OrleansFs.TestSupport.Tls;

/// <summary>
/// A test ZooKeeper's secure client port: the Netty connection factory, a PEM key store (the key and certificate in
/// one file, as ZooKeeper 3.8 reads it), a PEM trust store (the CA) and whether clients must present a certificate
/// (<c>ssl.clientAuth</c>: need, want or none). The plain client port stays open on loopback for the
/// <c>srvr</c> readiness check.
/// </summary>
public sealed record ZooKeeperServerTls(string KeyStorePath, string TrustStorePath, string ClientAuth = "need")
{
    /// <summary>Netty's codec and resolver are not on the class path Debian's zookeeper.jar names; its TLS handler needs them.</summary>
    public static readonly string[] ExtraJars = ["/usr/share/java/netty-codec.jar", "/usr/share/java/netty-resolver.jar"];

    /// <summary>The server certificate of <paramref name="certificates"/>, trusting its CA.</summary>
    public static ZooKeeperServerTls For(TestCertificates certificates, string clientAuth = "need")
    {
        string keyStore = Path.Combine(certificates.Directory, "zookeeper-keystore.pem");
        File.WriteAllText(keyStore, File.ReadAllText(certificates.ServerKeyPath) + File.ReadAllText(certificates.ServerCertificatePath));
        File.SetUnixFileMode(keyStore, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new ZooKeeperServerTls(keyStore, certificates.CaPath, clientAuth);
    }

    /// <summary>The zoo.cfg lines for a secure client port.</summary>
    public IEnumerable<string> ConfigLines(int securePort) =>
    [
        "serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
        $"secureClientPort={securePort}",
        "secureClientPortAddress=127.0.0.1",
        $"ssl.keyStore.location={KeyStorePath}",
        "ssl.keyStore.type=PEM",
        $"ssl.trustStore.location={TrustStorePath}",
        "ssl.trustStore.type=PEM",
        $"ssl.clientAuth={ClientAuth}",
    ];
}
