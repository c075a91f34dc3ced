using OrleansFs.Files;
using OrleansFs.Grains.Master.Inodes;
using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Checkpoints;

/// <summary>One inode's fields in a checkpoint (children are not stored; they follow from parent ids).</summary>
public static class InodeCodec
{
    [Flags]
    private enum Flags : byte { Directory = 1, Pinned = 2, Completed = 4 }

    public static void Write(ref EntryWriter writer, Inode inode)
    {
        writer.WriteVarUInt64((ulong)inode.Id);
        writer.WriteVarUInt64((ulong)inode.ParentId);
        writer.WriteString(inode.Name);
        writer.WriteByte((byte)((inode.IsDirectory ? Flags.Directory : 0) | (inode.Pinned ? Flags.Pinned : 0) | (inode.Completed ? Flags.Completed : 0)));
        writer.WriteVarInt64(inode.CreationTimeMs);
        writer.WriteVarInt64(inode.ModificationTimeMs - inode.CreationTimeMs);
        writer.WriteVarInt64(inode.TtlMs);
        writer.WriteByte((byte)inode.TtlAction);
        writer.WriteByte((byte)inode.PersistenceState);
        writer.WriteByte((byte)inode.WriteType);
        writer.WriteVarInt64(inode.Length);
        writer.WriteVarInt64(inode.BlockSizeBytes);
    }

    public static Inode Read(ref EntryReader reader)
    {
        long id = (long)reader.ReadVarUInt64();
        long parentId = (long)reader.ReadVarUInt64();
        string name = reader.ReadString();
        var flags = (Flags)reader.ReadByte();
        long created = reader.ReadVarInt64();
        return new Inode
        {
            Id = id,
            ParentId = parentId,
            Name = name,
            IsDirectory = flags.HasFlag(Flags.Directory),
            Pinned = flags.HasFlag(Flags.Pinned),
            Completed = flags.HasFlag(Flags.Completed),
            CreationTimeMs = created,
            ModificationTimeMs = created + reader.ReadVarInt64(),
            TtlMs = reader.ReadVarInt64(),
            TtlAction = reader.ReadEnum<TtlAction>(),
            PersistenceState = reader.ReadEnum<PersistenceState>(),
            WriteType = reader.ReadEnum<WriteType>(),
            Length = reader.ReadVarInt64(),
            BlockSizeBytes = reader.ReadVarInt64(),
        };
    }

    /// <summary>The inode a status was made from (children aside: a status only counts them).</summary>
    public static Inode FromStatus(FileStatus status) => new()
    {
        Id = status.InodeId,
        ParentId = status.ParentId,
        Name = status.Name,
        IsDirectory = status.IsDirectory,
        Pinned = status.Pinned,
        Completed = status.Completed,
        CreationTimeMs = status.CreationTime.ToUnixTimeMilliseconds(),
        ModificationTimeMs = status.LastModificationTime.ToUnixTimeMilliseconds(),
        TtlMs = status.TtlMs,
        TtlAction = status.TtlAction,
        PersistenceState = status.PersistenceState,
        WriteType = status.WriteType,
        Length = status.Length,
        BlockSizeBytes = status.BlockSizeBytes,
    };
}
