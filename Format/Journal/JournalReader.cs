using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// Read-only access to a journal directory for `ofs journal dump`: takes no epoch, writes nothing, and
/// does not cut a torn tail (it reports it). Yields the effective history in sequence order, honouring seals.
/// </summary>
public static class JournalReader
{
    /// <summary>
    /// Every record still in the logs, with the file and offset it sits at. Throws
    /// <see cref="FsException"/> (<see cref="FsErrorCode.JournalCorrupt"/>) naming the file and offset at
    /// damage that is not a torn tail; a torn tail ends the sequence with an entry whose <c>TornBytes</c> is set.
    /// </summary>
    public static IEnumerable<JournalDumpEntry> ReadAll(string directory)
    {
        var layout = new JournalLayout(directory);
        if (!Directory.Exists(layout.Root))
            throw new FsException(FsErrorCode.NotFound, layout.Root, "no such journal directory");
        if (!Directory.Exists(layout.EpochsDirectory) && !Directory.Exists(layout.LogDirectory))
            throw FsException.InvalidArgument(layout.Root, "not a journal directory (it has neither epochs/ nor log/)");
        IReadOnlyList<EpochInfo> epochs = EpochFiles.ReadAll(layout.EpochsDirectory);
        var replayer = new LogReplayer(layout, epochs, afterSequence: 0, recovering: false);
        foreach (ReplayItem item in replayer.Records())
        {
            JournalRecord record = item.Record with { Payload = item.Record.Payload.ToArray() };
            yield return new JournalDumpEntry(item.Segment.Path, item.Offset, record, 0);
        }
        if (replayer.TornBytes > 0)
            yield return new JournalDumpEntry(replayer.TornFile!, replayer.TornOffset, default, replayer.TornBytes);
    }

    /// <summary>The epochs and their seals, for the dump's header.</summary>
    public static IReadOnlyList<EpochInfo> ReadEpochs(string directory) =>
        EpochFiles.ReadAll(new JournalLayout(directory).EpochsDirectory);

    /// <summary>Checkpoints present, newest first, with whether their checksums hold (null) or why not.</summary>
    public static IReadOnlyList<(string File, long Sequence, string? Problem)> ReadCheckpoints(string directory)
    {
        var layout = new JournalLayout(directory);
        var result = new List<(string, long, string?)>();
        foreach (long sequence in layout.ListCheckpoints())
        {
            string path = layout.CheckpointPath(sequence);
            result.Add((path, sequence, CheckpointFile.Validate(path, out _)));
        }
        return result;
    }
}
