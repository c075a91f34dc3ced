using System.Buffers;

namespace OrleansFs.ZooKeeper.Protocol;

/// <summary>The server's answer to a ConnectRequest. A timeout of 0 or less means the session has expired.</summary>
internal readonly record struct ConnectResponse(int TimeoutMs, long SessionId, byte[] Password)
{
    public bool IsExpired => TimeoutMs <= 0;

    public static ConnectResponse Read(ReadOnlySequence<byte> frame)
    {
        var reader = new JuteReader(frame.ToArray());
        reader.ReadInt(); // protocol version
        int timeout = reader.ReadInt();
        long sessionId = reader.ReadLong();
        var password = reader.ReadBuffer();
        return new ConnectResponse(timeout, sessionId, password);
    }
}
