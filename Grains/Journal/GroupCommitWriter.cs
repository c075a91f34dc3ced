using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using OrleansFs.Errors;
using OrleansFs.Metrics;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// The append path. <see cref="Append"/> frames the record into the pending buffer and returns at once;
/// one writer thread swaps the pending buffer out, writes all of it with one write, fsyncs once, checks
/// the epoch is still current, and only then completes every waiter of that batch. Records arriving during
/// the fsync gather in the other buffer for the next batch. Any write failure or fencing is terminal:
/// the batch and everything queued behind it fail, and so does every later append.
/// </summary>
internal sealed class GroupCommitWriter : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    // One histogram for every journal in the process: the web interface's Metrics page and /metrics read it.
    internal static readonly Histogram<double> FlushDuration =
        new Meter(MetricNames.Meter).CreateHistogram<double>(MetricNames.JournalFlushDuration, "ms", "Journal group-commit write + fsync + epoch check");

    private readonly JournalLayout _layout;
    private readonly IEpochStore _epochs;
    private readonly long _epoch;
    private readonly JournalOptions _options;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guarded by _gate.
    private byte[] _pending = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private int _pendingLength;
    private List<TaskCompletionSource<long>> _pendingWaiters = [];
    private long _pendingFirstSequence;
    private long _lastSequence;
    private long _durableSequence;
    private Task _lastAppend = Task.CompletedTask;
    private long _bytesAppended;
    private bool _writerIdle = true;
    private bool _closing;
    private Exception? _failure;

    // Owned by the writer thread.
    private byte[] _flushing = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private List<TaskCompletionSource<long>> _flushingWaiters = [];
    private SafeFileHandle? _segment;
    private long _segmentLength;

    private long _flushes;
    private long _lastFlushTicks;

    public GroupCommitWriter(JournalLayout layout, IEpochStore epochs, long epoch, long lastSequence,
        JournalOptions options, ILogger logger)
    {
        _layout = layout;
        _epochs = epochs;
        _epoch = epoch;
        _options = options;
        _logger = logger;
        _lastSequence = lastSequence;
        _durableSequence = lastSequence;
        _pendingFirstSequence = lastSequence + 1;
        _thread = new Thread(Run) { IsBackground = true, Name = $"ofs-journal-writer-{epoch}" };
        _thread.Start();
    }

    public long LastSequence { get { lock (_gate) return _lastSequence; } }
    public long BytesAppended { get { lock (_gate) return _bytesAppended; } }
    public long Flushes => Interlocked.Read(ref _flushes);
    public double LastFlushMilliseconds => TimeSpan.FromTicks(Interlocked.Read(ref _lastFlushTicks)).TotalMilliseconds;

    public Task<long> Append(ushort type, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > RecordFrame.MaxPayloadSize)
            return Task.FromException<long>(FsException.InvalidArgument(null,
                $"journal record of {payload.Length} bytes exceeds the limit of {RecordFrame.MaxPayloadSize}"));
        int size = RecordFrame.FrameSize(payload.Length);
        lock (_gate)
        {
            if (_failure is not null) return Task.FromException<long>(_failure);
            if (_closing) return Task.FromException<long>(FsException.Unavailable("the journal is closed"));
            long sequence = ++_lastSequence;
            EnsurePendingCapacity(size);
            RecordFrame.Write(_pending.AsSpan(_pendingLength), sequence, _epoch, type, payload);
            _pendingLength += size;
            _bytesAppended += size;
            var waiter = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pendingWaiters.Add(waiter);
            _lastAppend = waiter.Task;
            WakeWriter();
            return waiter.Task;
        }
    }

    /// <summary>Completes once every record up to <paramref name="sequence"/> is durable and acknowledged.</summary>
    public Task WaitDurableAsync(long sequence)
    {
        lock (_gate)
        {
            if (_failure is not null) return Task.FromException(_failure);
            // Batches complete in order, so the newest append covers every sequence before it.
            return sequence <= _durableSequence ? Task.CompletedTask : _lastAppend;
        }
    }

    /// <summary>Flushes what is queued, then stops the writer and closes the segment.</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            _closing = true;
            WakeWriter();
        }
        return _stopped.Task;
    }

    public void Dispose()
    {
        StopAsync().GetAwaiter().GetResult();
        _wake.Dispose();
    }

    private void WakeWriter()
    {
        if (!_writerIdle) return;
        _writerIdle = false;
        _wake.Release();
    }

    private void EnsurePendingCapacity(int needed)
    {
        if (_pending.Length - _pendingLength >= needed) return;
        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_pending.Length * 2, _pendingLength + needed));
        _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_pending);
        _pending = bigger;
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                _wake.Wait();
                while (TakeBatch(out int length, out long firstSequence)) Flush(length, firstSequence);
                lock (_gate) if (_closing && _pendingLength == 0) break;
            }
        }
        finally
        {
            _segment?.Dispose();
            ArrayPool<byte>.Shared.Return(_flushing);
            lock (_gate)
            {
                _failure ??= FsException.Unavailable("the journal is closed");
                ArrayPool<byte>.Shared.Return(_pending);
                _pending = [];
            }
            _stopped.TrySetResult();
        }
    }

    /// <summary>Swaps the pending buffer and waiters with the (empty) flushing ones. False when idle.</summary>
    private bool TakeBatch(out int length, out long firstSequence)
    {
        lock (_gate)
        {
            length = _pendingLength;
            firstSequence = _pendingFirstSequence;
            if (length == 0)
            {
                _writerIdle = true;
                return false;
            }
            (_pending, _flushing) = (_flushing, _pending);
            (_pendingWaiters, _flushingWaiters) = (_flushingWaiters, _pendingWaiters);
            _pendingLength = 0;
            _pendingFirstSequence = _lastSequence + 1;
            return true;
        }
    }

    private void Flush(int length, long firstSequence)
    {
        long started = Stopwatch.GetTimestamp();
        Exception? failure = null;
        try
        {
            // Checked before writing too, so a master that wakes from a pause after a newer one took over does
            // not even append; the check after the fsync is the one that makes acknowledgements safe.
            if (!IsSuperseded()) WriteDurably(_flushing.AsSpan(0, length), firstSequence);
            if (IsSuperseded())
                failure = new FsException(FsErrorCode.Fenced, null,
                    $"journal epoch {_epoch} was superseded by a newer master in {_epochs.Location}; this master stops writing");
        }
        catch (Exception ex)
        {
            failure = ex is FsException ? ex : FsException.Unavailable($"journal write to {_layout.LogDirectory} failed: {ex.Message}");
            _logger.LogError(ex, "Journal write of sequences from {FirstSequence} failed", firstSequence);
        }
        Interlocked.Increment(ref _flushes);
        var elapsed = Stopwatch.GetElapsedTime(started);
        Interlocked.Exchange(ref _lastFlushTicks, elapsed.Ticks);
        FlushDuration.Record(elapsed.TotalMilliseconds);
        if (failure is null) Acknowledge(firstSequence);
        else Fail(failure, firstSequence);
    }

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
        string path = _layout.SegmentPath(_epoch, firstSequence);
        _segment = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        _segmentLength = 0;
        if (_options.Fsync) DirectorySync.Flush(_layout.LogDirectory);
        _logger.LogInformation("Journal segment {Segment} opened for epoch {Epoch}", path, _epoch);
    }

    private bool IsSuperseded()
    {
        ValueTask<bool> check = _epochs.IsSupersededAsync(_epoch, CancellationToken.None);
        return check.IsCompletedSuccessfully ? check.Result : check.AsTask().GetAwaiter().GetResult();
    }

    private void Acknowledge(long firstSequence)
    {
        lock (_gate) _durableSequence = firstSequence + _flushingWaiters.Count - 1;
        for (int i = 0; i < _flushingWaiters.Count; i++) _flushingWaiters[i].TrySetResult(firstSequence + i);
        _flushingWaiters.Clear();
    }

    private void Fail(Exception failure, long firstSequence)
    {
        List<TaskCompletionSource<long>> queued;
        lock (_gate)
        {
            _failure ??= failure;
            queued = _pendingWaiters;
            _pendingWaiters = [];
            _pendingLength = 0;
        }
        if (failure is FsException { Code: FsErrorCode.Fenced })
            _logger.LogWarning("Journal epoch {Epoch} fenced: refusing sequences from {FirstSequence} on", _epoch, firstSequence);
        foreach (var waiter in _flushingWaiters) waiter.TrySetException(failure);
        foreach (var waiter in queued) waiter.TrySetException(failure);
        _flushingWaiters.Clear();
    }
}
