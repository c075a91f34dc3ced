using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>A lineage forgotten (with <see cref="Cascade"/>, the lineages downstream too); its outputs stay as plain files.</summary>
public sealed record DeleteLineageEntry(Guid RequestId, long TimeMs, long LineageId, bool Cascade) : MasterEntry(RequestId, TimeMs)
{
    public override MasterEntryType Type => MasterEntryType.DeleteLineage;
    public override string Describe() => Cascade ? $"lineage {LineageId} and downstream" : $"lineage {LineageId}";

    internal override void WriteBody(ref EntryWriter writer)
    {
        writer.WriteVarInt64(LineageId);
        writer.WriteBool(Cascade);
    }

    internal static DeleteLineageEntry Read(Guid requestId, long timeMs, ref EntryReader reader) =>
        new(requestId, timeMs, reader.ReadVarInt64(), reader.ReadBool());
}
