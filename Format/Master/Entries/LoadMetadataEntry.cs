using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>
/// Files and directories found in the under-storage directory <see cref="Directory"/> that the namespace did
/// not have (Alluxio's loadMetadata). Applying it adds those still missing as persisted, complete inodes,
/// creating the directory and its missing ancestors; anything the namespace has meanwhile wins.
/// </summary>
public sealed record LoadMetadataEntry(Guid RequestId, long TimeMs, string Directory, long BlockSizeBytes, IReadOnlyList<LoadedChild> Children)
    : MasterEntry(RequestId, TimeMs)
{
    public override MasterEntryType Type => MasterEntryType.LoadMetadata;
    public override string Describe() => $"{Directory}: {Children.Count} found in the under-storage";

    internal override void WriteBody(ref EntryWriter writer)
    {
        writer.WriteString(Directory);
        writer.WriteVarInt64(BlockSizeBytes);
        writer.WriteVarUInt64((ulong)Children.Count);
        foreach (var child in Children)
        {
            writer.WriteString(child.Name);
            writer.WriteBool(child.IsDirectory);
            writer.WriteVarInt64(child.Length);
            writer.WriteVarInt64(child.ModifiedMs);
        }
    }

    internal static LoadMetadataEntry Read(Guid requestId, long timeMs, ref EntryReader reader)
    {
        string directory = reader.ReadString();
        long blockSize = reader.ReadVarInt64();
        int count = reader.ReadVarInt32();
        if (count > reader.Remaining) throw new InvalidDataException($"load-metadata entry claims {count} children");
        var children = new LoadedChild[count];
        for (int i = 0; i < count; i++)
            children[i] = new LoadedChild(reader.ReadString(), reader.ReadBool(), reader.ReadVarInt64(), reader.ReadVarInt64());
        return new(requestId, timeMs, directory, blockSize, children);
    }
}

/// <summary>One file or directory found in the under-storage: its name, kind, length and modification time.</summary>
public sealed record LoadedChild(string Name, bool IsDirectory, long Length, long ModifiedMs);
