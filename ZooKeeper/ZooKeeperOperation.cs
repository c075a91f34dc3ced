using OrleansFs.ZooKeeper.Protocol;

namespace OrleansFs.ZooKeeper;

/// <summary>One step of a multi transaction. A check exists only here: 3.8 servers hang on a stand-alone matching check.</summary>
public sealed class ZooKeeperOperation
{
    private ZooKeeperOperation(OpCode op, string path, ReadOnlyMemory<byte> data, int version, CreateMode mode, IReadOnlyList<ZooKeeperAcl>? acl = null)
    {
        Acl = ZooKeeperAcl.Validate(acl, nameof(acl));
        ZooKeeperPath.Validate(path, sequential: op == OpCode.Create && IsSequential(mode));
        Op = op;
        Path = path;
        Data = data;
        Version = version;
        Mode = mode;
    }

    public string Path { get; }

    internal OpCode Op { get; }
    internal ReadOnlyMemory<byte> Data { get; }
    internal int Version { get; }
    internal CreateMode Mode { get; }
    internal IReadOnlyList<ZooKeeperAcl> Acl { get; }

    /// <summary>A create; <paramref name="acl"/> null means <see cref="ZooKeeperAcl.OpenAclUnsafe"/>, an empty list is refused.</summary>
    public static ZooKeeperOperation Create(string path, ReadOnlyMemory<byte> data, CreateMode mode = CreateMode.Persistent, IReadOnlyList<ZooKeeperAcl>? acl = null) =>
        new(OpCode.Create, path, data, -1, mode, acl);

    public static ZooKeeperOperation Delete(string path, int version = -1) => new(OpCode.Delete, path, default, version, default);

    public static ZooKeeperOperation SetData(string path, ReadOnlyMemory<byte> data, int version = -1) =>
        new(OpCode.SetData, path, data, version, default);

    /// <summary>Fails the whole transaction unless the node exists with this data version.</summary>
    public static ZooKeeperOperation Check(string path, int version) => new(OpCode.Check, path, default, version, default);

    internal static bool IsSequential(CreateMode mode) =>
        mode is CreateMode.PersistentSequential or CreateMode.EphemeralSequential;
}
