using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

public sealed record DeleteEntry(Guid RequestId, long TimeMs, string Path, bool Recursive) : MasterEntry(RequestId, TimeMs)
{
    public override MasterEntryType Type => MasterEntryType.Delete;
    public override string Describe() => Path;

    internal override void WriteBody(ref EntryWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteBool(Recursive);
    }

    internal static DeleteEntry Read(Guid requestId, long timeMs, ref EntryReader reader) =>
        new(requestId, timeMs, reader.ReadString(), reader.ReadBool());
}
