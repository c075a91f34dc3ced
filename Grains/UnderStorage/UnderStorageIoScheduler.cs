namespace OrleansFs.Grains.UnderStorage;

/// <summary>
/// Threads of their own for the under-storage's blocking system calls (open, stat, readdir, pread, fsync,
/// rename, unlink). Orleans runs grain turns on the .NET thread pool, and .NET's "asynchronous" file I/O
/// on Linux is a blocking call queued to that same pool; so a hung NFS mount would pin the threads grains
/// run on either way. Here it pins at most <see cref="MaximumConcurrencyLevel"/> of these threads; the
/// callers, grains included, await without holding any thread, and further calls queue.
/// </summary>
public sealed class UnderStorageIoScheduler : TaskScheduler
{
    // Enough for parallel persists and reloads over NFS; a mount that hangs holds at most this many threads.
    private const int DefaultThreads = 16;

    /// <summary>The process's under-storage threads (started as needed, up to 16).</summary>
    public static UnderStorageIoScheduler Shared { get; } = new(DefaultThreads);

    [ThreadStatic] private static UnderStorageIoScheduler? t_current;

    private readonly object _lock = new();
    private readonly Queue<Task> _queue = new();
    private readonly int _maxThreads;
    // Both guarded by _lock. _idle counts waiting threads not yet woken for a queued task, so every
    // queued task has a thread of its own whenever fewer than _maxThreads are busy.
    private int _threads;
    private int _idle;

    public UnderStorageIoScheduler(int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        _maxThreads = maxThreads;
    }

    public override int MaximumConcurrencyLevel => _maxThreads;

    /// <summary>Runs blocking work on these threads. Continuations never run inline on them.</summary>
    public Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(work, cancellationToken, Options, this);

    /// <inheritdoc cref="Run{T}"/>
    public Task Run(Action work, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(work, cancellationToken, Options, this);

    private const TaskCreationOptions Options =
        TaskCreationOptions.DenyChildAttach | TaskCreationOptions.RunContinuationsAsynchronously;

    protected override void QueueTask(Task task)
    {
        lock (_lock)
        {
            _queue.Enqueue(task);
            if (_idle > 0)
            {
                _idle--;
                Monitor.Pulse(_lock);
            }
            else if (_threads < _maxThreads)
            {
                _threads++;
                new Thread(Work) { IsBackground = true, Name = "ofs-under-storage-io" }.Start();
            }
        }
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        t_current == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_lock) return _queue.ToArray();
    }

    private void Work()
    {
        t_current = this;
        while (true)
        {
            Task? task;
            lock (_lock)
            {
                while (!_queue.TryDequeue(out task))
                {
                    _idle++;
                    Monitor.Wait(_lock);
                }
            }
            TryExecuteTask(task);
        }
    }
}
