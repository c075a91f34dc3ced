using OrleansFs.Client.Retry;
using OrleansFs.Master;

namespace OrleansFs.Client.FileSystem;

/// <summary>
/// Sends a client's concurrent getStatus reads to the gateway's reader as one message. A read that finds no other
/// read of this client in flight goes out alone, at once, as before; while others are in flight, reads gather and
/// leave together on the next thread-pool turn (<see cref="IMetadataReaderGrain.GetStatuses"/>), so 32 callers pay
/// for a few messages instead of 32, on the client and on the silo. Nothing waits on an earlier batch: a batch
/// stuck on a dead silo holds up only its own reads, whose attempts time out or are abandoned as any other.
/// Each read keeps its guarantees: the batch asks for the client's position when it leaves, at least what each
/// read would have asked; a batch that fails for a reason no retry cures is replayed read by read, so each read
/// gets its own answer or error.
/// </summary>
internal sealed class StatusBatcher(Func<IMetadataReaderGrain> reader, Func<ReadRequirement> requirement)
{
    // Large enough to carry a busy client's reads in a few messages, small enough to keep one message short.
    private const int MaxBatch = 256;

    private readonly Lock _lock = new();
    private List<Waiting> _gathering = [];
    // Reads sent and not yet answered (batched reads until their batch is answered): only decides whether a read
    // may go out alone.
    private int _inFlight;

    public Task<StatusRead> ReadAsync(string path)
    {
        if (Interlocked.Increment(ref _inFlight) == 1) return AloneAsync(path);
        var waiting = new Waiting(path);
        bool first;
        lock (_lock)
        {
            _gathering.Add(waiting);
            first = _gathering.Count == 1;
        }
        if (first) ThreadPool.UnsafeQueueUserWorkItem(static self => self.Flush(), this, preferLocal: false);
        return waiting.Answer.Task;
    }

    private async Task<StatusRead> AloneAsync(string path)
    {
        try
        {
            return await reader().GetStatus(path, requirement());
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void Flush()
    {
        List<Waiting> batch;
        lock (_lock)
        {
            batch = _gathering;
            _gathering = [];
        }
        for (int start = 0; start < batch.Count; start += MaxBatch)
            _ = SendAsync(batch.GetRange(start, Math.Min(MaxBatch, batch.Count - start)));
    }

    private async Task SendAsync(List<Waiting> batch)
    {
        try
        {
            if (batch.Count == 1)
            {
                Answer(batch[0], ReadOne(batch[0].Path));
                return;
            }
            var paths = new string[batch.Count];
            for (int i = 0; i < paths.Length; i++) paths[i] = batch[i].Path;
            StatusRead[] answers;
            try
            {
                answers = await reader().GetStatuses(paths, requirement());
            }
            catch (Exception e) when (!TransientFailure.IsTransient(e))
            {
                // One path's own error must not become every read's: each asks again on its own.
                foreach (var waiting in batch) Answer(waiting, ReadOne(waiting.Path));
                return;
            }
            catch (Exception e)
            {
                foreach (var waiting in batch) waiting.Answer.TrySetException(e);
                return;
            }
            for (int i = 0; i < batch.Count; i++) batch[i].Answer.TrySetResult(answers[i]);
        }
        finally
        {
            Interlocked.Add(ref _inFlight, -batch.Count);
        }
    }

    private Task<StatusRead> ReadOne(string path)
    {
        try
        {
            return reader().GetStatus(path, requirement());
        }
        catch (Exception e)
        {
            return Task.FromException<StatusRead>(e);
        }
    }

    private static void Answer(Waiting waiting, Task<StatusRead> read) =>
        read.ContinueWith(static (t, w) => ((Waiting)w!).Answer.TrySetFromTask(t), waiting, TaskContinuationOptions.ExecuteSynchronously);

    private sealed class Waiting(string path)
    {
        public string Path { get; } = path;
        // Asynchronous continuations: one batch's answers go out to their callers in parallel, and no caller's
        // code runs inside the batch.
        public TaskCompletionSource<StatusRead> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
