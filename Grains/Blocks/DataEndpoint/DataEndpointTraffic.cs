using OrleansFs.Grains.Metrics;
using OrleansFs.Metrics;

namespace OrleansFs.Grains.Blocks.DataEndpoint;

/// <summary>
/// Block bytes that went through a data endpoint, for checking which path a transfer took; each is also
/// counted on the silo's byte counters (<c>via="data_endpoint"</c>).
/// </summary>
public sealed class DataEndpointTraffic
{
    private long _bytesSent;
    private long _bytesReceived;
    private long _connections;
    private long _bytesSentFromFile;

    public long BytesSent => Interlocked.Read(ref _bytesSent);
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);
    /// <summary>Of <see cref="BytesSent"/>, those sent from the block file with sendfile, not read and copied by the worker.</summary>
    public long BytesSentFromFile => Interlocked.Read(ref _bytesSentFromFile);
    /// <summary>Connections accepted, so a test can see that clients reuse theirs.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    internal void Accepted() => Interlocked.Increment(ref _connections);

    internal void Sent(int bytes)
    {
        Interlocked.Add(ref _bytesSent, bytes);
        SiloInstruments.Read(bytes, MetricNames.Via.DataEndpoint);
    }

    internal void SentFromFile(int bytes)
    {
        Interlocked.Add(ref _bytesSentFromFile, bytes);
        Sent(bytes);
    }

    internal void Received(int bytes)
    {
        Interlocked.Add(ref _bytesReceived, bytes);
        SiloInstruments.Written(bytes, MetricNames.Via.DataEndpoint);
    }
}
