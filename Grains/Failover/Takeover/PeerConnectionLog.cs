using System.Collections.Concurrent;
using OrleansFs.Grains.Master;

namespace OrleansFs.Grains.Failover.Takeover;

/// <summary>
/// This silo's connections to other silos, by the peer's silo endpoint (`ip:port`): when they closed, and when
/// this silo last heard from each peer (bytes received: a probe answer, any message). A process that dies
/// (SIGKILL, crash) has its sockets closed by the kernel, so the drop is seen within milliseconds; a host that
/// vanishes closes nothing, and the last time it was heard from is where its failure began.
/// </summary>
public sealed class PeerConnectionLog(TimeProvider time)
{
    private const int KeptPerPeer = 32;
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _closed = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _heard = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _exited = new();
    private readonly ConcurrentDictionary<PeerActivity, byte> _open = new();

    /// <summary>A connection opened: its reads are noted in the returned activity until <see cref="Closed"/>.</summary>
    public PeerActivity Opened(Func<string?> resolveEndpoint)
    {
        var activity = new PeerActivity(time, resolveEndpoint);
        _open[activity] = 0;
        return activity;
    }

    public void Closed(PeerActivity activity)
    {
        _open.TryRemove(activity, out _);
        if (activity.Endpoint is not { } endpoint) return;
        if (activity.LastHeardAt is { } heard) RecordHeard(endpoint, heard);
        RecordClosed(endpoint);
    }

    public void RecordHeard(string peerEndpoint, DateTimeOffset at) =>
        _heard.AddOrUpdate(peerEndpoint, at, (_, earlier) => earlier > at ? earlier : at);

    /// <summary>The last time this silo received anything from <paramref name="peerEndpoint"/>, over any connection, open or closed.</summary>
    public DateTimeOffset? LastHeardFrom(string peerEndpoint)
    {
        DateTimeOffset? last = _heard.TryGetValue(peerEndpoint, out var closed) ? closed : null;
        foreach (var activity in _open.Keys)
        {
            if (activity.Endpoint == peerEndpoint && activity.LastHeardAt is { } heard && (last is null || heard > last)) last = heard;
        }
        return last;
    }

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

    /// <summary>The peer's process was seen gone (its watch connection ended by its host, its port refusing) at <paramref name="at"/>.</summary>
    public void RecordProcessExit(string peerEndpoint, DateTimeOffset at) => _exited[peerEndpoint] = at;

    /// <summary>When the process at <paramref name="peerEndpoint"/> was last seen gone, if within [from, to].</summary>
    public DateTimeOffset? ProcessExitBetween(string peerEndpoint, DateTimeOffset from, DateTimeOffset to) =>
        _exited.TryGetValue(peerEndpoint, out var at) && at >= from && at <= to ? at : null;
}
