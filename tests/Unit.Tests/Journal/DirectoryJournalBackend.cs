using OrleansFs.TestSupport.Files;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>The directory journal as a <see cref="JournalBackend"/>; small segments, so every case also crosses segment rolls.</summary>
public sealed class DirectoryJournalBackend : JournalBackend
{
    private readonly JournalHarness _harness = new() { SegmentBytes = 256 };

    public override string Kind => "Directory";
    public string Directory => _harness.Directory;

    public override IJournal Open() => _harness.Open();

    public override IJournalTailer Tailer() => _harness.Tailer();

    public override Task<IReadOnlyList<JournalRecord>> ReadAllAsync() =>
        Task.FromResult<IReadOnlyList<JournalRecord>>(JournalReader.ReadAll(Directory).Where(e => !e.IsTornTail).Select(e => e.Record).ToList());

    public override Task<IReadOnlyList<long>> CheckpointsAsync() =>
        Task.FromResult<IReadOnlyList<long>>(JournalReader.ReadCheckpoints(Directory).Select(c => c.Sequence).ToList());

    public override Task<long> OldestStoredSequenceAsync() =>
        Task.FromResult(_harness.LogFiles().Min(f => long.Parse(Path.GetFileNameWithoutExtension(f).Split('-')[1])));

    public override Task DamageCheckpointAsync(long sequence)
    {
        FileDamage.FlipByte(new JournalLayout(Directory).CheckpointPath(sequence), CheckpointFile.HeaderSize + 1);
        return Task.CompletedTask;
    }

    public override Task<string> DamageRecordAsync(long sequence)
    {
        JournalDumpEntry entry = JournalReader.ReadAll(Directory).Single(e => e.Record.Sequence == sequence);
        FileDamage.FlipByte(entry.File, entry.Offset + RecordFrame.HeaderSize);
        return Task.FromResult($"{entry.File} is damaged at byte offset {entry.Offset}");
    }

    public override Task CrashMidBatchAsync(long firstSequence, long epoch)
    {
        // The last segment gets the first half of a frame: a write cut by the crash.
        string segment = _harness.LogFiles().Last();
        var payload = JournalTestState.Payload("cut short");
        var frame = new byte[RecordFrame.FrameSize(payload.Length)];
        RecordFrame.Write(frame, firstSequence, epoch, JournalTestState.RecordType, payload.Span);
        using var file = new FileStream(segment, FileMode.Append, FileAccess.Write);
        file.Write(frame.AsSpan(0, frame.Length / 2));
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        _harness.Dispose();
        return ValueTask.CompletedTask;
    }
}
