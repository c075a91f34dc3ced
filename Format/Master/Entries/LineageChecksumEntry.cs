using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>The checksum of a lineage output's first completed bytes, which every recompute must reproduce.</summary>
public sealed record LineageChecksumEntry(Guid RequestId, long TimeMs, long LineageId, string Path, ulong Checksum)
    : MasterEntry(RequestId, TimeMs)
{
    public override MasterEntryType Type => MasterEntryType.LineageChecksum;
    public override string Describe() => $"lineage {LineageId} {Path} xxhash64={Checksum:x16}";

    internal override void WriteBody(ref EntryWriter writer)
    {
        writer.WriteVarInt64(LineageId);
        writer.WriteString(Path);
        writer.WriteVarUInt64(Checksum);
    }

    internal static LineageChecksumEntry Read(Guid requestId, long timeMs, ref EntryReader reader) =>
        new(requestId, timeMs, reader.ReadVarInt64(), reader.ReadString(), reader.ReadVarUInt64());
}
