using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using OrleansFs.Errors;
using OrleansFs.Grains.Metrics;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// The group commit shared by every journal backend. <see cref="Append"/> assigns the sequence under the lock and
/// frames the record into the pending buffer, so journal order is the order callers appended in; one writer swaps
/// the pending buffer out and hands the whole batch to <see cref="WriteBatchAsync"/>, the backend's one durable
/// write that also re-checks the epoch, and only then completes every waiter of that batch, in order. Records
/// arriving during a write gather in the other buffer for the next batch. Any write failure or fencing is terminal:
/// the batch and everything queued behind it fail, and so does every later append.
/// </summary>
internal abstract class GroupCommitQueue : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    private readonly int _maxBatchBytes;
    private readonly string _epochLocation;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Set when the writer has a thread of its own, which then waits for work synchronously.
    private Thread? _thread;

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

    // Owned by the writer.
    private byte[] _flushing = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private List<TaskCompletionSource<long>> _flushingWaiters = [];

    private long _flushes;
    private long _lastFlushTicks;

    /// <param name="epochLocation">Where the epochs are, named when this writer is fenced.</param>
    /// <param name="maxBatchBytes">A bigger queue goes out in several batches (always at least one record each).</param>
    protected GroupCommitQueue(long epoch, long lastSequence, string epochLocation, int maxBatchBytes = int.MaxValue)
    {
        Epoch = epoch;
        _epochLocation = epochLocation;
        _maxBatchBytes = maxBatchBytes;
        _lastSequence = lastSequence;
        _durableSequence = lastSequence;
        _pendingFirstSequence = lastSequence + 1;
    }

    protected long Epoch { get; }
    public long LastSequence { get { lock (_gate) return _lastSequence; } }
    public long BytesAppended { get { lock (_gate) return _bytesAppended; } }
    public long Flushes => Interlocked.Read(ref _flushes);
    public double LastFlushMilliseconds => TimeSpan.FromTicks(Interlocked.Read(ref _lastFlushTicks)).TotalMilliseconds;

    /// <summary>
    /// Writes the batch (whole <see cref="RecordFrame"/> frames, sequences <paramref name="firstSequence"/> on)
    /// durably, then re-checks the epoch. False when this epoch was superseded; throws when the write failed.
    /// </summary>
    protected abstract ValueTask<bool> WriteBatchAsync(ReadOnlyMemory<byte> frames, long firstSequence, int count);

    /// <summary>What the callers of a batch see when its write threw.</summary>
    protected abstract Exception WriteFailure(Exception exception);

    protected abstract void OnWriteFailed(Exception exception, long firstSequence);

    protected abstract void OnFenced(long firstSequence);

    /// <summary>Releases what the backend held open for writing; called once, on the writer, when it stops.</summary>
    protected virtual void OnStopped()
    {
    }

    /// <summary>Runs the writer on a thread of its own, for a backend whose write blocks (a file write and fsync).</summary>
    protected void StartOnThread(string name)
    {
        _thread = new Thread(() => RunAsync().GetAwaiter().GetResult()) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs the writer as a task, for a backend whose write is asynchronous I/O.</summary>
    protected void StartOnThreadPool() => _ = Task.Run(RunAsync);

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
            RecordFrame.Write(_pending.AsSpan(_pendingLength), sequence, Epoch, type, payload);
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

    /// <summary>Writes what is queued, then stops the writer.</summary>
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

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                if (_thread is not null) _wake.Wait();
                else await _wake.WaitAsync();
                while (TakeBatch(out int length, out long firstSequence)) await FlushAsync(length, firstSequence);
                lock (_gate) if (_closing && _pendingLength == 0) break;
            }
        }
        finally
        {
            OnStopped();
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
            if (length > _maxBatchBytes) length = ReturnRecordsPastLimit(length);
            _pendingFirstSequence = firstSequence + _flushingWaiters.Count;
            return true;
        }
    }

    /// <summary>Moves the records past <c>_maxBatchBytes</c> back to the (empty) pending side; returns the batch length.</summary>
    private int ReturnRecordsPastLimit(int length)
    {
        int taken = 0;
        int count = 0;
        while (taken < length)
        {
            // A frame starts with its own length (see RecordFrame).
            int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(_flushing.AsSpan(taken));
            if (count > 0 && taken + size > _maxBatchBytes) break;
            taken += size;
            count++;
        }
        EnsurePendingCapacity(length - taken);
        _flushing.AsSpan(taken, length - taken).CopyTo(_pending);
        _pendingLength = length - taken;
        for (int i = count; i < _flushingWaiters.Count; i++) _pendingWaiters.Add(_flushingWaiters[i]);
        _flushingWaiters.RemoveRange(count, _flushingWaiters.Count - count);
        return taken;
    }

    private async ValueTask FlushAsync(int length, long firstSequence)
    {
        long started = Stopwatch.GetTimestamp();
        Exception? failure = null;
        try
        {
            if (!await WriteBatchAsync(_flushing.AsMemory(0, length), firstSequence, _flushingWaiters.Count))
                failure = new FsException(FsErrorCode.Fenced, null,
                    $"journal epoch {Epoch} was superseded by a newer master in {_epochLocation}; this master stops writing");
        }
        catch (Exception ex)
        {
            failure = WriteFailure(ex);
            OnWriteFailed(ex, firstSequence);
        }
        Interlocked.Increment(ref _flushes);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        Interlocked.Exchange(ref _lastFlushTicks, elapsed.Ticks);
        SiloInstruments.JournalFlushDuration.Record(elapsed.TotalSeconds);
        if (failure is null) Acknowledge(firstSequence);
        else Fail(failure, firstSequence);
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
            OnFenced(firstSequence);
        foreach (var waiter in _flushingWaiters) waiter.TrySetException(failure);
        foreach (var waiter in queued) waiter.TrySetException(failure);
        _flushingWaiters.Clear();
    }
}
