namespace OrleansFs.Grains.Blocks.DataEndpoint;

/// <summary>Block bytes that went through a data endpoint, for statistics and for checking which path a transfer took.</summary>
public sealed class DataEndpointTraffic
{
    private long _bytesSent;
    private long _bytesReceived;

    public long BytesSent => Interlocked.Read(ref _bytesSent);
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    internal void Sent(int bytes) => Interlocked.Add(ref _bytesSent, bytes);
    internal void Received(int bytes) => Interlocked.Add(ref _bytesReceived, bytes);
}
