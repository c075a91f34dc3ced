using Microsoft.Extensions.Logging;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// Follows a journal directory that a master elsewhere is writing: the warm standby's reader (as an HDFS
/// standby NameNode tails the shared edits). It loads the newest checkpoint, then on each <see cref="PollAsync"/>
/// hands over the records that became effective since the last poll, in sequence order, from a cursor kept in
/// the current segment, so a poll reads only new bytes.
///
/// It never writes and never truncates. A frame that is cut short or fails its checksum is not applied: it is
/// either still being written or a torn tail the next master will cut, and the poll stops there. Records a
/// fenced master wrote beyond a later seal can be applied before that seal is visible; the next poll that sees
/// the seal (and <see cref="JournalResume.WhyNotEffective"/> at takeover) then refuses the state. Every refusal
/// is an <see cref="InvalidDataException"/>: the follower must start over from the newest checkpoint.
/// </summary>
public sealed class JournalTailer : IJournalTailer
{
    private readonly JournalLayout _layout;
    private readonly IEpochStore _epochs;
    private readonly ILogger _logger;
    private readonly TailPosition _position = new();
    private IReadOnlyList<EpochInfo> _epochList = [];
    private long _newestEpochSeen = -1;
    private LogSegment? _segment;
    private long _offset;

    public JournalTailer(JournalLayout layout, IEpochStore epochs, ILogger logger)
    {
        _layout = layout;
        _epochs = epochs;
        _logger = logger;
    }

    /// <summary>The last record applied (the checkpoint's sequence before any).</summary>
    public long LastSequence => _position.LastSequence;
    public long CheckpointSequence => _position.CheckpointSequence;
    public long RecordsApplied => _position.RecordsApplied;

    /// <summary>Loads the newest valid checkpoint through <paramref name="loadCheckpoint"/> (nothing if there is none).</summary>
    public async Task StartAsync(Func<Stream, CancellationToken, Task> loadCheckpoint, CancellationToken cancellationToken)
    {
        (long checkpoint, _) = await CheckpointFile.LoadNewestAsync(_layout, loadCheckpoint, _logger, cancellationToken);
        _position.StartAt(checkpoint);
        _epochList = await _epochs.ReadAllAsync(cancellationToken);
    }

    /// <summary>A directory announces nothing: the next poll comes after the interval.</summary>
    public Task WaitForRecordsAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.Delay(timeout, cancellationToken);

    public void Dispose()
    {
    }

    /// <summary>For each epoch records were applied from, the highest one (a copy): what a takeover checks against the seals.</summary>
    public IReadOnlyDictionary<long, long> LastSequenceByEpoch => _position.LastSequenceByEpoch;

    /// <summary>
    /// Applies up to <paramref name="maxRecords"/> newly effective records; returns how many it applied.
    /// Throws <see cref="InvalidDataException"/> when the state can no longer follow the journal.
    /// </summary>
    public async Task<int> PollAsync(Action<JournalRecord> apply, int maxRecords, CancellationToken cancellationToken)
    {
        List<LogSegment> segments = _layout.ListSegments();
        // A new epoch seals before its first segment appears, so the seals need re-reading only then.
        long newestEpoch = segments.Count > 0 ? segments.Max(s => s.Epoch) : 0;
        if (newestEpoch != _newestEpochSeen)
        {
            _epochList = await _epochs.ReadAllAsync(cancellationToken);
            _newestEpochSeen = newestEpoch;
        }
        _position.CheckStillEffective(_epochList);
        int applied = 0;
        while (applied < maxRecords && SegmentFor(LastSequence + 1, segments) is { } segment)
        {
            if (segment.Path != _segment?.Path)
            {
                _segment = segment;
                _offset = 0;
            }
            int read = ReadSegment(apply, maxRecords - applied);
            applied += read;
            if (read == 0) break;
        }
        return applied;
    }

    /// <summary>
    /// The segment holding <paramref name="sequence"/> in the effective history: of the live segments starting at
    /// or before it, the latest-starting (then the newest epoch). Null if there is none yet.
    /// </summary>
    private LogSegment? SegmentFor(long sequence, List<LogSegment> segments)
    {
        LogSegment? best = null;
        bool later = false;
        foreach (LogSegment segment in segments)
        {
            if (segment.FirstSequence > SealBounds.Of(_epochList, segment.Epoch)) continue;
            if (segment.FirstSequence > sequence)
            {
                later = true;
                continue;
            }
            if (best is null || segment.FirstSequence > best.FirstSequence
                || (segment.FirstSequence == best.FirstSequence && segment.Epoch > best.Epoch))
                best = segment;
        }
        if (best is null && later)
            throw new InvalidDataException($"no log segment holds sequence {sequence} any more (pruned after a newer checkpoint)");
        return best;
    }

    /// <summary>Applies records from the cursor until the segment ends (for now), its epoch's seal, or the limit.</summary>
    private int ReadSegment(Action<JournalRecord> apply, int maxRecords)
    {
        LogSegment segment = _segment!;
        long bound = SealBounds.Of(_epochList, segment.Epoch);
        SegmentReader reader;
        try
        {
            reader = new SegmentReader(segment.Path, _offset);
        }
        catch (FileNotFoundException)
        {
            return 0; // pruned meanwhile: the next poll's listing decides whether anything is missing
        }
        using (reader)
        {
            int applied = 0;
            while (applied < maxRecords && reader.Next() == SegmentItem.Record)
            {
                FrameHeader header = reader.Header;
                if (header.Epoch != segment.Epoch)
                    throw new InvalidDataException($"{segment.Path} holds a record of epoch {header.Epoch} at offset {reader.Offset}");
                if (header.Sequence > bound) break;
                long next = LastSequence + 1;
                if (header.Sequence > next)
                    throw new InvalidDataException($"{segment.Path} jumps from sequence {LastSequence} to {header.Sequence}");
                _offset = reader.Offset + reader.FrameSize;
                if (header.Sequence < next) continue; // already applied (or covered by the checkpoint)
                apply(new JournalRecord(header.Sequence, header.Epoch, header.Type, reader.Payload));
                _position.Applied(header.Sequence, header.Epoch);
                applied++;
            }
            return applied;
        }
    }
}
