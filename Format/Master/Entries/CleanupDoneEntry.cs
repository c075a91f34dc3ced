using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>
/// These cleanup tasks reached the under-storage and the workers: they leave the master state. It changes no
/// inode and is not a client request, so it is not remembered in the retry cache.
/// </summary>
public sealed record CleanupDoneEntry(Guid RequestId, long TimeMs, IReadOnlyList<Guid> TaskIds) : MasterEntry(RequestId, TimeMs)
{
    public override MasterEntryType Type => MasterEntryType.CleanupDone;
    public override string Describe() => $"{TaskIds.Count} cleanup task(s) done";

    internal override void WriteBody(ref EntryWriter writer)
    {
        writer.WriteVarUInt64((ulong)TaskIds.Count);
        foreach (var id in TaskIds) writer.WriteGuid(id);
    }

    internal static CleanupDoneEntry Read(Guid requestId, long timeMs, ref EntryReader reader)
    {
        int count = reader.ReadVarInt32();
        if (count < 0 || count > reader.Remaining / 16) throw new InvalidDataException($"cleanup-done entry claims {count} task ids");
        var ids = new Guid[count];
        for (int i = 0; i < count; i++) ids[i] = reader.ReadGuid();
        return new(requestId, timeMs, ids);
    }
}
