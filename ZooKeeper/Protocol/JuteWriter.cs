using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace OrleansFs.ZooKeeper.Protocol;

/// <summary>Writes jute primitives (big-endian, length-prefixed buffers and strings) straight into a buffer writer.</summary>
internal readonly struct JuteWriter(IBufferWriter<byte> output)
{
    public void WriteInt(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public void WriteLong(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public void WriteBool(bool value)
    {
        output.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        output.Advance(1);
    }

    public void WriteBuffer(ReadOnlySpan<byte> value)
    {
        WriteInt(value.Length);
        if (value.IsEmpty) return;
        value.CopyTo(output.GetSpan(value.Length));
        output.Advance(value.Length);
    }

    public void WriteNullBuffer() => WriteInt(-1);

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt(-1);
            return;
        }
        int length = Encoding.UTF8.GetByteCount(value);
        WriteInt(length);
        if (length == 0) return;
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    public void WriteStringVector(IReadOnlyList<string> values)
    {
        WriteInt(values.Count);
        foreach (var value in values) WriteString(value);
    }

    /// <summary>An ACL vector: for each entry <c>int perms</c> then the <c>Id</c> record (scheme, id).</summary>
    public void WriteAcl(IReadOnlyList<ZooKeeperAcl> acl)
    {
        WriteInt(acl.Count);
        foreach (var entry in acl)
        {
            WriteInt((int)entry.Permissions);
            WriteString(entry.Scheme);
            WriteString(entry.Id);
        }
    }

    public void WriteRequestHeader(int xid, OpCode op)
    {
        WriteInt(xid);
        WriteInt((int)op);
    }
}
