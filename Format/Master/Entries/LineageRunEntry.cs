using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>One attempt of a lineage's job, started or ended; it replaces the attempt with the same run id and number.</summary>
public sealed record LineageRunEntry(Guid RequestId, long TimeMs, long LineageId, LineageRunData Run) : MasterEntry(RequestId, TimeMs)
{
    public override MasterEntryType Type => MasterEntryType.LineageRun;
    public override string Describe() => $"lineage {LineageId} run {Run.RunId} attempt {Run.Attempt}";

    internal override void WriteBody(ref EntryWriter writer)
    {
        writer.WriteVarInt64(LineageId);
        Run.Write(ref writer);
    }

    internal static LineageRunEntry Read(Guid requestId, long timeMs, ref EntryReader reader) =>
        new(requestId, timeMs, reader.ReadVarInt64(), LineageRunData.Read(ref reader));
}
