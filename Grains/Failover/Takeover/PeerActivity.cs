namespace OrleansFs.Grains.Failover.Takeover;

/// <summary>
/// One silo-to-silo connection's last receipt of bytes from the peer: the last time this silo heard from it, a
/// probe answer or any message. Written on every read (one clock read, no allocation), read only at a takeover.
/// </summary>
public sealed class PeerActivity(TimeProvider time, Func<string?> resolveEndpoint)
{
    private long _lastHeardTimestamp;
    private string? _endpoint;

    public void Heard() => Volatile.Write(ref _lastHeardTimestamp, time.GetTimestamp());

    /// <summary>Wall-clock time of the last receipt, or null if nothing came yet.</summary>
    public DateTimeOffset? LastHeardAt
    {
        get
        {
            long heard = Volatile.Read(ref _lastHeardTimestamp);
            return heard == 0 ? null : time.GetUtcNow() - time.GetElapsedTime(heard);
        }
    }

    /// <summary>The peer's silo endpoint (`ip:port`), known once the connection's handshake named it.</summary>
    public string? Endpoint => _endpoint ??= resolveEndpoint();
}
