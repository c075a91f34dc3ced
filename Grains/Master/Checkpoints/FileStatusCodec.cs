using OrleansFs.Files;
using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Checkpoints;

/// <summary>A <see cref="FileStatus"/> in a checkpoint (the first results kept by the retry cache).</summary>
public static class FileStatusCodec
{
    [Flags]
    private enum Flags : byte { Directory = 1, Pinned = 2, Completed = 4 }

    public static void Write(ref EntryWriter writer, FileStatus status)
    {
        writer.WriteVarUInt64((ulong)status.InodeId);
        writer.WriteString(status.Path);
        writer.WriteString(status.Name);
        writer.WriteByte((byte)((status.IsDirectory ? Flags.Directory : 0) | (status.Pinned ? Flags.Pinned : 0) | (status.Completed ? Flags.Completed : 0)));
        writer.WriteVarInt64(status.Length);
        writer.WriteVarInt64(status.BlockSizeBytes);
        writer.WriteVarUInt64((ulong)status.BlockIds.Count);
        foreach (long blockId in status.BlockIds) writer.WriteVarInt64(blockId);
        writer.WriteVarInt64(status.CreationTime.ToUnixTimeMilliseconds());
        writer.WriteVarInt64(status.LastModificationTime.ToUnixTimeMilliseconds());
        writer.WriteVarInt64(status.TtlMs);
        writer.WriteByte((byte)status.TtlAction);
        writer.WriteByte((byte)status.PersistenceState);
        writer.WriteVarInt64(status.ParentId);
        writer.WriteVarInt64(status.ChildCount);
        writer.WriteByte((byte)status.WriteType);
    }

    public static FileStatus Read(ref EntryReader reader)
    {
        long id = (long)reader.ReadVarUInt64();
        string path = reader.ReadString();
        string name = reader.ReadString();
        var flags = (Flags)reader.ReadByte();
        long length = reader.ReadVarInt64();
        long blockSize = reader.ReadVarInt64();
        var blockIds = new long[reader.ReadVarInt32()];
        for (int i = 0; i < blockIds.Length; i++) blockIds[i] = reader.ReadVarInt64();
        return new FileStatus
        {
            InodeId = id,
            Path = path,
            Name = name,
            IsDirectory = flags.HasFlag(Flags.Directory),
            Pinned = flags.HasFlag(Flags.Pinned),
            Completed = flags.HasFlag(Flags.Completed),
            Length = length,
            BlockSizeBytes = blockSize,
            BlockIds = blockIds,
            CreationTime = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadVarInt64()),
            LastModificationTime = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadVarInt64()),
            TtlMs = reader.ReadVarInt64(),
            TtlAction = reader.ReadEnum<TtlAction>(),
            PersistenceState = reader.ReadEnum<PersistenceState>(),
            ParentId = reader.ReadVarInt64(),
            ChildCount = (int)reader.ReadVarInt64(),
            WriteType = reader.ReadEnum<WriteType>(),
        };
    }
}
