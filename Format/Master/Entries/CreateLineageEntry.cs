using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>
/// A lineage recorded: its inputs (existing files), its outputs (created here as empty files bound to it) and its
/// job. <see cref="Run"/> says the client asked for one run now. The lineage's id comes from the master's counter.
/// </summary>
public sealed record CreateLineageEntry(
    Guid RequestId, long TimeMs, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, LineageJobData Job, bool Run)
    : MasterEntry(RequestId, TimeMs)
{
    public override MasterEntryType Type => MasterEntryType.CreateLineage;
    public override string Describe() => $"[{string.Join(", ", Inputs)}] -> [{string.Join(", ", Outputs)}] by {Job}";

    internal override void WriteBody(ref EntryWriter writer)
    {
        LineageJobData.WriteStrings(ref writer, Inputs);
        LineageJobData.WriteStrings(ref writer, Outputs);
        Job.Write(ref writer);
        writer.WriteBool(Run);
    }

    internal static CreateLineageEntry Read(Guid requestId, long timeMs, ref EntryReader reader) =>
        new(requestId, timeMs, LineageJobData.ReadStrings(ref reader), LineageJobData.ReadStrings(ref reader),
            LineageJobData.Read(ref reader), reader.ReadBool());
}
