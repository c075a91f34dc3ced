using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// Walks the log segments of a journal directory in sequence order and yields the effective history:
/// records of an epoch beyond its seal are ignored (and so is anything, even garbage, after the seal in
/// that epoch's segments), sequences must be dense, and a damaged frame is either a torn tail (last
/// segment, unsealed epoch, nothing valid after it) or corruption that names the file and the offset.
/// Used by recovery (which truncates the torn tail) and by the read-only dump (which only reports it).
/// </summary>
internal sealed class LogReplayer
{
    private readonly JournalLayout _layout;
    private readonly IReadOnlyList<EpochInfo> _epochs;
    private readonly long _afterSequence;
    private readonly bool _recovering;
    private readonly bool _fsync;

    /// <param name="afterSequence">Records up to this sequence are covered by a checkpoint and are not yielded.</param>
    /// <param name="recovering">
    /// True for recovery: the first yielded record must be <paramref name="afterSequence"/>+1 and a torn tail
    /// is truncated. False for the dump: start wherever the logs start, and leave the files alone.
    /// </param>
    public LogReplayer(JournalLayout layout, IReadOnlyList<EpochInfo> epochs, long afterSequence, bool recovering, bool fsync = true)
    {
        _fsync = fsync;
        _layout = layout;
        _epochs = epochs;
        _afterSequence = afterSequence;
        _recovering = recovering;
        LastSequence = afterSequence;
    }

    /// <summary>The last sequence of the effective history (the checkpoint's if no record follows it).</summary>
    public long LastSequence { get; private set; }
    public long RecordsYielded { get; private set; }
    public long BytesYielded { get; private set; }
    public long TornBytes { get; private set; }
    public string? TornFile { get; private set; }
    public long TornOffset { get; private set; }

    /// <summary>The records; each item's payload is valid only until the enumerator moves on.</summary>
    public IEnumerable<ReplayItem> Records()
    {
        List<LogSegment> segments = LiveSegments();
        long? expected = _recovering ? _afterSequence + 1 : null;
        for (int i = 0; i < segments.Count; i++)
        {
            bool isLast = i == segments.Count - 1;
            if (!isLast && segments[i + 1].FirstSequence <= _afterSequence + 1) continue; // wholly checkpointed
            LogSegment segment = segments[i];
            long bound = BoundOf(segment.Epoch);
            using var reader = new SegmentReader(segment.Path);
            long previous = segment.FirstSequence - 1;
            while (previous < bound)
            {
                SegmentItem item = reader.Next();
                if (item == SegmentItem.End) break;
                if (item == SegmentItem.Damaged)
                {
                    HandleDamage(reader, segment, isLast && bound == long.MaxValue, previous + 1);
                    break;
                }
                FrameHeader header = reader.Header;
                CheckPlacement(segment, reader.Offset, header, previous);
                previous = header.Sequence;
                if (header.Sequence <= _afterSequence) continue; // covered by the checkpoint
                if (expected is long next && header.Sequence != next)
                    throw Corrupt(segment.Path, reader.Offset,
                        $"expected sequence {next} but found {header.Sequence}: records {next}..{header.Sequence - 1} are missing");
                expected = header.Sequence + 1;
                LastSequence = header.Sequence;
                RecordsYielded++;
                BytesYielded += reader.FrameSize;
                yield return new ReplayItem(segment, reader.Offset, reader.FrameSize,
                    new JournalRecord(header.Sequence, header.Epoch, header.Type, reader.Payload));
            }
        }
    }

    public static FsException Corrupt(string file, long offset, string reason) =>
        new(FsErrorCode.JournalCorrupt, null, $"journal file {file} is damaged at byte offset {offset}: {reason}");

    /// <summary>Segments that can hold effective records: those starting at or before their epoch's seal.</summary>
    private List<LogSegment> LiveSegments() =>
        _layout.ListSegments().Where(s => s.FirstSequence <= BoundOf(s.Epoch)).ToList();

    private long BoundOf(long epoch) => SealBounds.Of(_epochs, epoch);

    private static void CheckPlacement(LogSegment segment, long offset, FrameHeader header, long previous)
    {
        if (header.Epoch != segment.Epoch)
            throw Corrupt(segment.Path, offset, $"record of epoch {header.Epoch} in a segment of epoch {segment.Epoch}");
        if (header.Sequence != previous + 1)
            throw Corrupt(segment.Path, offset, $"expected sequence {previous + 1} but found {header.Sequence}");
    }

    private void HandleDamage(SegmentReader reader, LogSegment segment, bool mayBeTornTail, long nextSequence)
    {
        long offset = reader.Offset;
        string reason = DescribeDamage(reader.Damage);
        if (!mayBeTornTail || reader.HasValidFrameAfter(offset, segment.Epoch, nextSequence))
            throw Corrupt(segment.Path, offset, reason);
        TornFile = segment.Path;
        TornOffset = offset;
        TornBytes = reader.Length - offset;
        if (_recovering) Truncate(segment.Path, offset, _fsync);
    }

    private static void Truncate(string path, long length, bool fsync)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.SetLength(handle, length);
        if (fsync) RandomAccess.FlushToDisk(handle);
    }

    private static string DescribeDamage(FrameStatus status) => status switch
    {
        FrameStatus.Incomplete => "the record is cut short",
        FrameStatus.BadLength => "the record length is impossible",
        FrameStatus.BadChecksum => "the record checksum does not match",
        _ => status.ToString(),
    };
}
