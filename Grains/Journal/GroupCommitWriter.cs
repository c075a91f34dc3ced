using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// The directory journal's append path: the <see cref="GroupCommitQueue"/> on a thread of its own, writing each
/// batch to the current segment with one write, fsyncing once, and re-checking the epoch before it is acknowledged.
/// </summary>
internal sealed partial class GroupCommitWriter : GroupCommitQueue
{
    private readonly JournalLayout _layout;
    private readonly IEpochStore _epochs;
    private readonly JournalOptions _options;
    private readonly ILogger _logger;

    // Owned by the writer thread.
    private SafeFileHandle? _segment;
    private long _segmentLength;

    public GroupCommitWriter(JournalLayout layout, IEpochStore epochs, long epoch, long lastSequence,
        JournalOptions options, ILogger logger)
        : base(epoch, lastSequence, epochs.Location)
    {
        _layout = layout;
        _epochs = epochs;
        _options = options;
        _logger = logger;
        StartOnThread($"ofs-journal-writer-{epoch}");
    }

    protected override ValueTask<bool> WriteBatchAsync(ReadOnlyMemory<byte> frames, long firstSequence, int count)
    {
        // Checked before writing too, so a master that wakes from a pause after a newer one took over does
        // not even append; the check after the fsync is the one that makes acknowledgements safe.
        if (IsSuperseded()) return ValueTask.FromResult(false);
        WriteDurably(frames.Span, firstSequence);
        return ValueTask.FromResult(!IsSuperseded());
    }

    protected override Exception WriteFailure(Exception exception) =>
        exception is FsException ? exception : FsException.Unavailable($"journal write to {_layout.LogDirectory} failed: {exception.Message}");

    protected override void OnWriteFailed(Exception exception, long firstSequence) => LogWriteFailed(_logger, exception, firstSequence);

    protected override void OnFenced(long firstSequence) => LogFenced(_logger, Epoch, firstSequence);

    protected override void OnStopped() => _segment?.Dispose();

    private void WriteDurably(ReadOnlySpan<byte> batch, long firstSequence)
    {
        EnsureSegment(firstSequence, batch.Length);
        RandomAccess.Write(_segment!, batch, _segmentLength);
        _segmentLength += batch.Length;
        if (_options.Fsync) RandomAccess.FlushToDisk(_segment!);
    }

    /// <summary>Opens the first segment lazily, and a new one when this batch would pass SegmentBytes.</summary>
    private void EnsureSegment(long firstSequence, int batchLength)
    {
        if (_segment is not null && (_segmentLength == 0 || _segmentLength + batchLength <= _options.SegmentBytes)) return;
        _segment?.Dispose();
        string path = _layout.SegmentPath(Epoch, firstSequence);
        _segment = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        _segmentLength = 0;
        if (_options.Fsync) DirectorySync.Flush(_layout.LogDirectory);
        LogSegmentOpened(_logger, path, Epoch);
    }

    /// <summary>Fails closed: a store that does not answer within EpochCheckTimeout fails the batch (nothing is acknowledged).</summary>
    private bool IsSuperseded()
    {
        using var timeout = new CancellationTokenSource(_options.EpochCheckTimeout);
        try
        {
            ValueTask<bool> check = _epochs.IsSupersededAsync(Epoch, timeout.Token);
            return check.IsCompletedSuccessfully ? check.Result : check.AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw FsException.Unavailable(
                $"the epoch store {_epochs.Location} did not confirm journal epoch {Epoch} within {_options.EpochCheckTimeout.TotalMilliseconds:0} ms; this master stops writing");
        }
    }

    [LoggerMessage(EventId = 1120, Level = LogLevel.Error, Message = "Journal write of sequences from {FirstSequence} failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, long firstSequence);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Information, Message = "Journal segment {Segment} opened for epoch {Epoch}")]
    private static partial void LogSegmentOpened(ILogger logger, string segment, long epoch);

    [LoggerMessage(EventId = 1122, Level = LogLevel.Warning, Message = "Journal epoch {Epoch} fenced: refusing sequences from {FirstSequence} on")]
    private static partial void LogFenced(ILogger logger, long epoch, long firstSequence);
}
