using System.Collections.Concurrent;
using OrleansFs.Grains.Master;

namespace OrleansFs.Grains.Failover.Takeover;

/// <summary>
/// When this silo's outbound connections to other silos closed, by the peer's silo endpoint (`ip:port`). A
/// process that dies (SIGKILL, crash) has its sockets closed by the kernel, so the drop is seen within
/// milliseconds: the earliest sign of the failure, well before the probes that lead to a death declaration.
/// </summary>
public sealed class PeerConnectionLog(TimeProvider time)
{
    private const int KeptPerPeer = 32;
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _closed = new();

    public void RecordClosed(string peerEndpoint)
    {
        var closes = _closed.GetOrAdd(peerEndpoint, _ => new Queue<DateTimeOffset>());
        lock (closes)
        {
            closes.Enqueue(time.GetUtcNow());
            if (closes.Count > KeptPerPeer) closes.Dequeue();
        }
    }

    /// <summary>The latest close of a connection to <paramref name="peerEndpoint"/> within [from, to], if any.</summary>
    public DateTimeOffset? LastClosedBetween(string peerEndpoint, DateTimeOffset from, DateTimeOffset to)
    {
        if (!_closed.TryGetValue(peerEndpoint, out var closes)) return null;
        DateTimeOffset? last = null;
        lock (closes)
        {
            foreach (var at in closes)
                if (at >= from && at <= to) last = at;
        }
        return last;
    }
}
