namespace OrleansFs.ZooKeeper;

/// <summary>
/// The server refused credentials (AUTHFAILED) and closed the connection. The client is then finished
/// (<see cref="ZooKeeperSessionState.AuthFailed"/>), as the Java client is: reconnecting would only present the
/// same credentials again. Build a new client with other credentials.
/// </summary>
public sealed class ZooKeeperAuthFailedException : ZooKeeperException
{
    public ZooKeeperAuthFailedException(string scheme, string? detail = null, Exception? inner = null)
        : base(ZooKeeperErrorCode.AuthFailed, null, detail ?? $"the server refused the '{scheme}' credentials", inner)
    {
        Scheme = scheme;
    }

    /// <summary>The scheme of the refused credentials (never the credentials themselves).</summary>
    public string Scheme { get; }
}
