using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

public sealed record RenameEntry(Guid RequestId, long TimeMs, string Source, string Destination) : MasterEntry(RequestId, TimeMs)
{
    public override MasterEntryType Type => MasterEntryType.Rename;
    public override string Describe() => $"{Source} -> {Destination}";

    internal override void WriteBody(ref EntryWriter writer)
    {
        writer.WriteString(Source);
        writer.WriteString(Destination);
    }

    internal static RenameEntry Read(Guid requestId, long timeMs, ref EntryReader reader) =>
        new(requestId, timeMs, reader.ReadString(), reader.ReadString());
}
