using OrleansFs.Files;
using OrleansFs.Master;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>
/// Conversions between journal entries and the grain contract types. The entries live in the format assembly,
/// which `ofs journal dump` reads without the grain contracts' Orleans types, so these stay with the master.
/// </summary>
public static class MasterEntryContracts
{
    extension(CreateFileEntry)
    {
        public static CreateFileEntry From(Guid requestId, long timeMs, string path, CreateFileOptions options) =>
            new(requestId, timeMs, path, options.BlockSizeBytes, options.Recursive, options.Overwrite,
                options.WriteType, options.TtlMs, options.TtlAction, options.Pinned);
    }

    extension(SetAttributeEntry)
    {
        public static SetAttributeEntry From(Guid requestId, long timeMs, string path, SetAttributeOptions options) =>
            new(requestId, timeMs, path, options.Pinned, options.TtlMs, options.TtlAction, options.PersistenceState, options.Recursive);
    }

    public static MasterTakeover ToTakeover(this TakeoverEntry entry) => new()
    {
        Epoch = entry.Epoch,
        SiloAddress = entry.SiloAddress,
        PreviousSiloAddress = entry.PreviousSiloAddress,
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(entry.TimeMs),
        DetectionDuration = entry.DetectionMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        RecoveryDuration = TimeSpan.FromMicroseconds(entry.RecoveryMicroseconds),
        RecordsReplayed = entry.RecordsReplayed,
        Cause = entry.Cause,
        DetectionFromFirstVote = entry.FromFirstVoteMilliseconds is { } vote ? TimeSpan.FromMilliseconds(vote) : null,
    };
}
