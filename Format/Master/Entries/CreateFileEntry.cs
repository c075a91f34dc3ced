using OrleansFs.Files;
using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

public sealed record CreateFileEntry(
    Guid RequestId, long TimeMs, string Path, long BlockSizeBytes, bool Recursive, bool Overwrite,
    WriteType WriteType, long TtlMs, TtlAction TtlAction, bool Pinned) : MasterEntry(RequestId, TimeMs)
{
    public override MasterEntryType Type => MasterEntryType.CreateFile;
    public override string Describe() => Path;

    internal override void WriteBody(ref EntryWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteVarInt64(BlockSizeBytes);
        writer.WriteBool(Recursive);
        writer.WriteBool(Overwrite);
        writer.WriteByte((byte)WriteType);
        writer.WriteVarInt64(TtlMs);
        writer.WriteByte((byte)TtlAction);
        writer.WriteBool(Pinned);
    }

    internal static CreateFileEntry Read(Guid requestId, long timeMs, ref EntryReader reader) =>
        new(requestId, timeMs, reader.ReadString(), reader.ReadVarInt64(), reader.ReadBool(), reader.ReadBool(),
            reader.ReadEnum<WriteType>(), reader.ReadVarInt64(), reader.ReadEnum<TtlAction>(), reader.ReadBool());
}
