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
}
