using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master.State;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.Master.Retry;
using OrleansFs.Master;

namespace OrleansFs.Grains.Failover.Standby;

/// <summary>
/// The warm standby on every silo: keeps a copy of the namespace current by following the shared journal
/// (<see cref="IJournalTailer"/>), as an HDFS standby NameNode or an Alluxio standby master does. A master that
/// activates on this silo takes the copy (<see cref="TakeAsync"/>), and its recovery then replays only the
/// records written since the last poll, instead of everything since the last checkpoint.
///
/// The copy is only a head start: the new master still takes its epoch, checks the copy against the seals
/// (<see cref="JournalResume"/>) and replays the tail itself, so a stale or diverged copy costs time, never
/// correctness. While the master lives on this silo the standby is idle; when it leaves, the standby starts
/// again from the newest checkpoint.
/// </summary>
public sealed partial class MasterStandby : BackgroundService
{
    // Bounds how long a takeover waits for a poll in progress.
    private const int RecordsPerStep = 5_000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly IJournalFactory _journals;
    private readonly MasterOptions _options;
    private readonly ILogger<MasterStandby> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private MasterStateMachine? _machine;
    private IJournalTailer? _tailer;
    private CancellationTokenSource _step = new();
    private volatile bool _held;
    private volatile bool _warm;
    // What reads see: replaced after every record applied, null while there is no copy.
    private volatile StandbyView? _view;
    // The state of the master living on this silo, while it does.
    private volatile StandbyView? _masterView;
    // Completed (and replaced) after every poll, so readers behind a client's position learn the view moved.
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _pause;
    private volatile bool _wakeRequested;
    private static readonly RetryCache NoRetries = new();

    public MasterStandby(IJournalFactory journals, IOptions<MasterOptions> options, ILogger<MasterStandby> logger)
    {
        _journals = journals;
        _options = options.Value;
        _logger = logger;
    }

    public bool IsEnabled => _options.WarmStandby;
    /// <summary>True while the master lives on this silo (its copy was taken; the standby idles).</summary>
    public bool IsHeld => _held;
    /// <summary>True once the copy has caught up with the journal (and until a master takes it).</summary>
    public bool IsWarm => _warm;
    /// <summary>The last journal record the copy holds; 0 when there is no copy.</summary>
    public long LastSequence => _tailer?.LastSequence ?? 0;

    /// <summary>For operators (`ofs report`, /health/standby): "off", "master", "warm@SEQ" or "catching up".</summary>
    public string Describe() =>
        !IsEnabled ? "off" : IsHeld ? "master" : IsWarm ? $"warm@{LastSequence}" : "catching up";

    /// <summary>
    /// The state reads may be answered from: the warm copy, or while a master holds it, the master's own state as
    /// long as its lease holds (a master that cannot confirm its epoch must not answer, not even from here).
    /// </summary>
    public StandbyView? View => _held ? (_masterView is { } master && master.IsCurrent() ? master : null) : _warm ? _view : null;

    /// <summary>The master on this silo stopped serving (fenced, journal failure): reads here go to the grain again.</summary>
    public void WithdrawMaster() => _masterView = null;

    /// <summary>
    /// The master on this silo publishes its state after every append (only while it holds the standby);
    /// <paramref name="isCurrent"/> is its lease, checked on every read.
    /// </summary>
    public void PublishMaster(MasterState state, JournalPosition position, Func<bool> isCurrent)
    {
        if (_held)
            _masterView = new StandbyView(new MasterStateMachine(state, NoRetries, _options.RetryCacheWindow, _options.RetryCacheMaxEntries), position, OfMaster: true)
            {
                IsCurrent = isCurrent,
            };
    }

    /// <summary>
    /// The view once it reflects at least <paramref name="atLeast"/>, waking the follower to poll now; null when
    /// there is none or it is still behind after <paramref name="patience"/> (the caller then asks the master).
    /// </summary>
    public async ValueTask<StandbyView?> WaitForAsync(JournalPosition atLeast, TimeSpan patience)
    {
        var view = View;
        if (view is null || view.Position >= atLeast) return view;
        if (patience <= TimeSpan.Zero) return null;
        long deadline = Environment.TickCount64 + (long)Math.Ceiling(patience.TotalMilliseconds);
        while (true)
        {
            var advanced = Volatile.Read(ref _advanced).Task;
            Wake();
            long left = deadline - Environment.TickCount64;
            if (left <= 0) return null;
            await Task.WhenAny(advanced, Task.Delay(TimeSpan.FromMilliseconds(left)));
            view = View;
            if (view is null) return null;
            if (view.Position >= atLeast) return view;
        }
    }

    /// <summary>Ends the wait between polls early: a read is waiting for records the journal may already hold.</summary>
    public void Wake()
    {
        if (_wakeRequested) return;
        _wakeRequested = true;
        var pause = _pause;
        // Cancelled on the pool: the follower's continuation must not run the poll on the reader's thread.
        if (pause is not null) ThreadPool.UnsafeQueueUserWorkItem(static p => CancelQuietly(p), pause, preferLocal: false);
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That pause has ended.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.WarmStandby) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay = _options.StandbyPollInterval;
            if (_options.StandbyHoldBack > TimeSpan.Zero) await Task.Delay(_options.StandbyHoldBack, stoppingToken);
            _wakeRequested = false;
            await _gate.WaitAsync(stoppingToken);
            try
            {
                if (!_held && await StepAsync(stoppingToken) == RecordsPerStep) delay = TimeSpan.Zero;
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                if (!_held)
                    LogStartsOver(_logger, error, error.Message);
                Discard();
                delay = RetryDelay;
            }
            finally
            {
                _gate.Release();
                Interlocked.Exchange(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
            await PauseAsync(delay, stoppingToken);
        }
    }

    /// <summary>Waits for the next poll: the interval, less when the journal announces records or a read wakes it.</summary>
    private async Task PauseAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        if (delay == TimeSpan.Zero || _wakeRequested) return;
        using var pause = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _pause = pause;
        try
        {
            if (!_wakeRequested) await (_tailer?.WaitForRecordsAsync(delay, pause.Token) ?? Task.Delay(delay, pause.Token));
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Woken by a read.
        }
        finally
        {
            _pause = null;
        }
    }

    /// <summary>
    /// Hands the copy to a master activating on this silo and stops following until <see cref="Release"/>.
    /// Null when the copy has not caught up yet: the master then recovers from the checkpoint as usual
    /// (and does not wait for this standby's own start).
    /// </summary>
    public async Task<StandbyState?> TakeAsync(CancellationToken cancellationToken)
    {
        _masterView = null;
        _held = true;
        if (!_warm) CancelStep();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            StandbyState? state = _warm && _machine is not null && _tailer is not null
                ? new StandbyState(_machine, _tailer.LastSequence, _tailer.LastSequenceByEpoch)
                : null;
            Discard();
            return state;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The master left this silo: follow the journal again, from the newest checkpoint.</summary>
    public void Release()
    {
        _masterView = null;
        _held = false;
    }

    /// <summary>Loads the checkpoint first, then applies one batch of new records; returns how many.</summary>
    private async Task<int> StepAsync(CancellationToken stoppingToken)
    {
        using var step = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _step = step;
        if (_tailer is null) await LoadCheckpointAsync(step.Token);
        int applied = await _tailer!.PollAsync(record =>
        {
            _machine!.Replay(record);
            Publish(new JournalPosition(record.Epoch, record.Sequence));
        }, RecordsPerStep, step.Token);
        if (!_warm && applied < RecordsPerStep)
        {
            _warm = true;
            LogCaughtUp(_logger, _tailer.LastSequence, _machine!.State.Inodes.Count, _tailer.RecordsApplied, _tailer.CheckpointSequence);
        }
        return applied;
    }

    private async Task LoadCheckpointAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var machine = MasterStateMachine.Empty(_options);
        var tailer = _journals.CreateTailer();
        await tailer.StartAsync((stream, ct) =>
        {
            machine = MasterStateMachine.Load(stream, _options, ct);
            return Task.CompletedTask;
        }, cancellationToken);
        _machine = machine;
        _tailer = tailer;
        // The checkpoint's epoch is not known here, so no position either: reads wait for the first record.
        _view = null;
        LogCheckpointLoaded(_logger, tailer.CheckpointSequence, machine.State.Inodes.Count, clock.ElapsedMilliseconds);
    }

    public override void Dispose()
    {
        _tailer?.Dispose();
        base.Dispose();
    }

    private void CancelStep()
    {
        try
        {
            _step.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That step has finished.
        }
    }

    private void Publish(JournalPosition position) =>
        _view = new StandbyView(new MasterStateMachine(_machine!.State, NoRetries, _options.RetryCacheWindow, _options.RetryCacheMaxEntries), position);

    private void Discard()
    {
        _warm = false;
        _view = null;
        _machine = null;
        _tailer?.Dispose();
        _tailer = null;
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "The warm standby starts over from the newest checkpoint: {Reason}")]
    private static partial void LogStartsOver(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information,
        Message = "Warm standby caught up at journal sequence {Sequence}: {Inodes} inodes, {Records} records applied since checkpoint {Checkpoint}")]
    private static partial void LogCaughtUp(ILogger logger, long sequence, int inodes, long records, long checkpoint);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Warm standby loaded checkpoint {Checkpoint} ({Inodes} inodes) in {ElapsedMs} ms")]
    private static partial void LogCheckpointLoaded(ILogger logger, long checkpoint, int inodes, long elapsedMs);
}
