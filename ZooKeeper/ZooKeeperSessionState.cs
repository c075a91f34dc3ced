namespace OrleansFs.ZooKeeper;

/// <summary>Where a client's session stands.</summary>
public enum ZooKeeperSessionState
{
    /// <summary>Looking for a server; requests wait.</summary>
    Connecting,
    Connected,
    /// <summary>The connection was lost; the session may still live and the client is reconnecting.</summary>
    Disconnected,
    /// <summary>The server no longer knows the session: its ephemerals and watches are gone. Build a new client.</summary>
    Expired,
    Closed,
    /// <summary>The server refused this client's credentials and closed the connection. Build a new client.</summary>
    AuthFailed,
}
