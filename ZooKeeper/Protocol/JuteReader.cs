using System.Buffers.Binary;
using System.Text;

namespace OrleansFs.ZooKeeper.Protocol;

/// <summary>Reads jute primitives from one received frame. Running past the end is a marshalling error.</summary>
internal ref struct JuteReader(ReadOnlySpan<byte> frame)
{
    private readonly ReadOnlySpan<byte> _frame = frame;
    private int _position;

    public readonly int Remaining => _frame.Length - _position;

    public int ReadInt() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long ReadLong() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public bool ReadBool() => Take(1)[0] != 0;

    /// <summary>Reads a jute buffer; a null buffer (length -1) comes back empty.</summary>
    public byte[] ReadBuffer()
    {
        int length = ReadInt();
        return length <= 0 ? [] : Take(length).ToArray();
    }

    public string? ReadString()
    {
        int length = ReadInt();
        if (length < 0) return null;
        return length == 0 ? string.Empty : Encoding.UTF8.GetString(Take(length));
    }

    public List<string> ReadStringVector()
    {
        int count = ReadInt();
        if (count < 0) return [];
        if (count > Remaining / 4) throw Malformed();
        var values = new List<string>(count);
        for (int i = 0; i < count; i++) values.Add(ReadString() ?? string.Empty);
        return values;
    }

    public List<ZooKeeperAcl> ReadAcl()
    {
        int count = ReadInt();
        if (count < 0) return [];
        // Each entry is at least perms plus two string lengths.
        if (count > Remaining / 12) throw Malformed();
        var acl = new List<ZooKeeperAcl>(count);
        for (int i = 0; i < count; i++)
        {
            var permissions = (ZooKeeperPermissions)ReadInt();
            acl.Add(new ZooKeeperAcl(permissions, ReadString() ?? string.Empty, ReadString() ?? string.Empty));
        }
        return acl;
    }

    public NodeStat ReadStat() => new(
        CreatedZxid: ReadLong(),
        ModifiedZxid: ReadLong(),
        CreatedTime: ReadLong(),
        ModifiedTime: ReadLong(),
        Version: ReadInt(),
        ChildVersion: ReadInt(),
        AclVersion: ReadInt(),
        EphemeralOwner: ReadLong(),
        DataLength: ReadInt(),
        NumChildren: ReadInt(),
        ChildrenZxid: ReadLong());

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining) throw Malformed();
        var slice = _frame.Slice(_position, count);
        _position += count;
        return slice;
    }

    private static ZooKeeperException Malformed() =>
        new(ZooKeeperErrorCode.MarshallingError, null, "a frame from the server ended before its record did");
}
