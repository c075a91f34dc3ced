using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

public sealed record CompleteFileEntry(Guid RequestId, long TimeMs, string Path, long Length) : MasterEntry(RequestId, TimeMs)
{
    public override MasterEntryType Type => MasterEntryType.CompleteFile;
    public override string Describe() => $"{Path} length={Length}";

    internal override void WriteBody(ref EntryWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteVarInt64(Length);
    }

    internal static CompleteFileEntry Read(Guid requestId, long timeMs, ref EntryReader reader) =>
        new(requestId, timeMs, reader.ReadString(), reader.ReadVarInt64());
}
