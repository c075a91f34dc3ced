using Microsoft.Extensions.Logging;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Master.Lease;

/// <summary>
/// Keeps the master's <see cref="MasterLease"/>: asks the journal's epoch store, about three times per lease length,
/// whether the master's epoch is still the newest, each question bounded by the lease length (a store that does not
/// answer counts as "no", so the master fails closed). Runs on the thread pool, off the grain's turns, so a busy master
/// does not starve its own lease. A newer epoch revokes the lease and stops the master at once; a lease lapsed for
/// <c>StepDownAfter</c> (the store unreachable from this silo) stops it too, so the next call activates the master on
/// a silo that can reach the store.
/// </summary>
public sealed partial class MasterLeaseKeeper : IAsyncDisposable
{
    private readonly MasterLease _lease;
    private readonly Func<CancellationToken, Task<bool>> _isEpochCurrent;
    private readonly long _epoch;
    private readonly TimeSpan _stepDownAfter;
    private readonly Action<FsException> _lost;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private string? _lapseReason;

    /// <param name="isEpochCurrent">One epoch check: true while no newer epoch exists; throws when the store cannot answer.</param>
    /// <param name="lost">Called once, from the keeper's thread, when the master must stop serving.</param>
    public MasterLeaseKeeper(MasterLease lease, Func<CancellationToken, Task<bool>> isEpochCurrent, long epoch, TimeSpan stepDownAfter,
        Action<FsException> lost, TimeProvider time, ILogger logger)
    {
        _lease = lease;
        _isEpochCurrent = isEpochCurrent;
        _epoch = epoch;
        _stepDownAfter = stepDownAfter;
        _lost = lost;
        _time = time;
        _logger = logger;
    }

    /// <summary>How often the epoch is confirmed while all is well.</summary>
    public TimeSpan RenewEvery => _lease.Length / 3;

    /// <summary>Confirms the epoch once (the master serves only with a lease), then keeps renewing in the background.</summary>
    public async Task StartAsync()
    {
        if (await RenewOnceAsync()) _loop = Task.Run(RunAsync);
    }

    /// <summary>One check; false once the master must stop (superseded, or lapsed too long).</summary>
    internal async Task<bool> RenewOnceAsync()
    {
        long started = _time.GetTimestamp();
        string? failure;
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            bounded.CancelAfter(_lease.Length);
            if (await _isEpochCurrent(bounded.Token))
            {
                _lease.Renew(started);
                if (_lapseReason is not null) LogRenewed(_logger, _epoch, _lapseReason);
                _lapseReason = null;
                return true;
            }
            _lease.Revoke();
            LogSuperseded(_logger, _epoch);
            _lost(new FsException(FsErrorCode.Fenced, null, $"journal epoch {_epoch} was superseded by a newer master; this master stops serving"));
            return false;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            failure = $"the epoch store did not answer within {_lease.Length.TotalMilliseconds:0} ms";
        }
        catch (Exception e)
        {
            failure = e.Message;
        }
        return OnCheckFailed(failure);
    }

    private bool OnCheckFailed(string failure)
    {
        if (_lease.IsHeld) return true;
        if (_lapseReason is null) LogLapsed(_logger, _epoch, _lease.Length.TotalMilliseconds, failure);
        _lapseReason = failure;
        if (_lease.LapsedFor < _stepDownAfter) return true;
        LogSteppingDown(_logger, _epoch, _stepDownAfter.TotalMilliseconds, failure);
        _lost(FsException.Unavailable(
            $"the master (epoch {_epoch}) could not confirm its epoch for {_stepDownAfter.TotalSeconds:0.#} s ({failure}) and stepped down; retry to reach the new master"));
        return false;
    }

    private async Task RunAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                long started = _time.GetTimestamp();
                if (!await RenewOnceAsync()) return;
                TimeSpan wait = RenewEvery - _time.GetElapsedTime(started);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, _stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 1070, Level = LogLevel.Warning,
        Message = "Master epoch {Epoch} lease lapsed: its epoch was not confirmed within {LeaseMs:0} ms ({Reason}); refusing reads and writes until it is")]
    private static partial void LogLapsed(ILogger logger, long epoch, double leaseMs, string reason);

    [LoggerMessage(EventId = 1071, Level = LogLevel.Information, Message = "Master epoch {Epoch} lease renewed after a lapse ({Reason}); serving again")]
    private static partial void LogRenewed(ILogger logger, long epoch, string reason);

    [LoggerMessage(EventId = 1072, Level = LogLevel.Warning,
        Message = "Master epoch {Epoch} steps down: its lease stayed lapsed for {StepDownMs:0} ms ({Reason}); the next call activates the master on another silo")]
    private static partial void LogSteppingDown(ILogger logger, long epoch, double stepDownMs, string reason);

    [LoggerMessage(EventId = 1073, Level = LogLevel.Warning, Message = "Master epoch {Epoch} lease check found a newer epoch: this master stops serving")]
    private static partial void LogSuperseded(ILogger logger, long epoch);
}
