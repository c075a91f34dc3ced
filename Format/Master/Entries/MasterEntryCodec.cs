using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>
/// Encodes master entries as journal payloads: <c>version byte | request id | time | body</c>, with the
/// entry type travelling as the journal record's <c>ushort</c> type.
/// </summary>
public static class MasterEntryCodec
{
    /// <summary>Encodes into a pooled buffer the caller returns to <see cref="System.Buffers.ArrayPool{T}.Shared"/>.</summary>
    public static byte[] Encode(MasterEntry entry, out int length)
    {
        var writer = new EntryWriter(128);
        try
        {
            Write(entry, ref writer);
            return writer.Detach(out length);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    public static void Write(MasterEntry entry, ref EntryWriter writer)
    {
        writer.WriteByte(entry.Version);
        writer.WriteGuid(entry.RequestId);
        writer.WriteVarInt64(entry.TimeMs);
        entry.WriteBody(ref writer);
    }

    public static MasterEntry Decode(ushort type, ReadOnlySpan<byte> payload)
    {
        var reader = new EntryReader(payload);
        return Read((MasterEntryType)type, ref reader);
    }

    public static MasterEntry Read(MasterEntryType type, ref EntryReader reader)
    {
        byte version = reader.ReadByte();
        // Takeover entries gained their cause in version 2 and the time from the first vote in 3; older ones still replay.
        if (version != 1 && !(type == MasterEntryType.Takeover && version <= TakeoverEntry.CurrentVersion)) throw new InvalidDataException($"{type} entry has unknown encoding version {version}");
        var requestId = reader.ReadGuid();
        long timeMs = reader.ReadVarInt64();
        return type switch
        {
            MasterEntryType.CreateDirectory => CreateDirectoryEntry.Read(requestId, timeMs, ref reader),
            MasterEntryType.CreateFile => CreateFileEntry.Read(requestId, timeMs, ref reader),
            MasterEntryType.CompleteFile => CompleteFileEntry.Read(requestId, timeMs, ref reader),
            MasterEntryType.Delete => DeleteEntry.Read(requestId, timeMs, ref reader),
            MasterEntryType.Rename => RenameEntry.Read(requestId, timeMs, ref reader),
            MasterEntryType.SetAttribute => SetAttributeEntry.Read(requestId, timeMs, ref reader),
            MasterEntryType.OperationFailed => OperationFailedEntry.Read(requestId, timeMs, ref reader),
            MasterEntryType.Takeover => TakeoverEntry.Read(requestId, timeMs, version, ref reader),
            MasterEntryType.CleanupDone => CleanupDoneEntry.Read(requestId, timeMs, ref reader),
            MasterEntryType.LoadMetadata => LoadMetadataEntry.Read(requestId, timeMs, ref reader),
            MasterEntryType.CreateLineage => CreateLineageEntry.Read(requestId, timeMs, ref reader),
            MasterEntryType.DeleteLineage => DeleteLineageEntry.Read(requestId, timeMs, ref reader),
            MasterEntryType.LineageRun => LineageRunEntry.Read(requestId, timeMs, ref reader),
            MasterEntryType.LineageChecksum => LineageChecksumEntry.Read(requestId, timeMs, ref reader),
            _ => throw new InvalidDataException($"unknown master entry type {(ushort)type}"),
        };
    }
}
