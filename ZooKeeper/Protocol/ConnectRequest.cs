namespace OrleansFs.ZooKeeper.Protocol;

/// <summary>The first frame on a connection: a new session (id 0) or a resume of an existing one.</summary>
internal readonly record struct ConnectRequest(long LastZxidSeen, int TimeoutMs, long SessionId, byte[] Password)
{
    public void WriteTo(JuteWriter writer)
    {
        writer.WriteInt(0); // protocol version
        writer.WriteLong(LastZxidSeen);
        writer.WriteInt(TimeoutMs);
        writer.WriteLong(SessionId);
        writer.WriteBuffer(Password);
        writer.WriteBool(false); // readOnly: this client does not accept read-only servers
    }
}
