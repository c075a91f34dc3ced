using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Grains.Journal;
using OrleansFs.TestSupport;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>A journal directory in a temp folder and helpers to open, fill and recover journals on it.</summary>
internal sealed class JournalHarness : IDisposable
{
    private readonly TempDirectory _temp = new("ofs-journal");

    public string Directory => _temp.Path;
    public long SegmentBytes { get; init; } = 64L * 1024 * 1024;
    public bool Fsync { get; init; } = true;

    public DirectoryJournal Open() => new(new JournalOptions
    {
        Directory = _temp.Path,
        SegmentBytes = SegmentBytes,
        Fsync = Fsync,
    }, NullLogger<DirectoryJournal>.Instance);

    /// <summary>Opens a journal and recovers it into a fresh state.</summary>
    public Task<(DirectoryJournal Journal, JournalTestState State, JournalRecoveryResult Result)> RecoverAsync() =>
        JournalTestState.RecoverAsync(Open());

    /// <summary>Recovers, appends <paramref name="texts"/> one after another, and closes.</summary>
    public Task<JournalTestState> WriteAsync(params string[] texts) => JournalTestState.WriteAsync(Open(), texts);

    public string[] LogFiles() => System.IO.Directory.GetFiles(Path.Combine(Directory, "log"), "*.log").Order().ToArray();

    public string[] CheckpointFiles() =>
        System.IO.Directory.GetFiles(Path.Combine(Directory, "checkpoints"), "*.ckpt").Order().ToArray();

    /// <summary>Writes a well-formed frame at the end of a segment by hand (a stale writer's record, or a test's).</summary>
    public static void AppendFrame(string segment, long sequence, long epoch, ReadOnlyMemory<byte> payload)
    {
        var frame = new byte[RecordFrame.FrameSize(payload.Length)];
        RecordFrame.Write(frame, sequence, epoch, JournalTestState.RecordType, payload.Span);
        using var file = new FileStream(segment, FileMode.Append, FileAccess.Write);
        file.Write(frame);
    }

    /// <summary>A follower of this journal directory, epochs read from its files.</summary>
    public JournalTailer Tailer() =>
        new(new JournalLayout(Directory), new DirectoryEpochStore(Path.Combine(Directory, "epochs"), NullLogger.Instance), NullLogger.Instance);

    public static string[] Texts(int from, int count) => Enumerable.Range(from, count).Select(i => $"record-{i}").ToArray();

    public void Dispose() => _temp.Dispose();
}
