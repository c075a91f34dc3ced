namespace OrleansFs.ZooKeeper;

/// <summary>
/// The TLS handshake with a server failed: its certificate was not trusted, it refused this client's certificate (or
/// the lack of one), or the port does not speak TLS. Reported as CONNECTIONLOSS, with the reason.
/// </summary>
public sealed class ZooKeeperTlsException(ZooKeeperEndpoint server, string reason, Exception? inner = null)
    : ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, null, $"TLS handshake with {server} failed: {reason}", inner)
{
    public ZooKeeperEndpoint Server { get; } = server;

    /// <summary>Why, without the server: what the message says after "failed:".</summary>
    public string Reason { get; } = reason;
}
