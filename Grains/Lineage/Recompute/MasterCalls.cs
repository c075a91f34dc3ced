using Orleans.Runtime;
using OrleansFs.Errors;
using OrleansFs.Master;

namespace OrleansFs.Grains.Lineage.Recompute;

/// <summary>
/// Calls to the master from a lineage run, retried while the master fails over (its silo died, a new one recovers
/// from the journal): a journaled call keeps its request id across attempts, so it is applied once.
/// </summary>
public sealed class MasterCalls(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);
    /// <summary>How long one call may keep retrying, whatever the run's own deadline.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private IMasterGrain Master => grains.GetGrain<IMasterGrain>(IMasterGrain.Key);

    public async Task<T> CallAsync<T>(Func<IMasterGrain, Task<T>> call, CancellationToken cancellationToken = default, TimeSpan? patience = null)
    {
        var deadline = time.GetUtcNow() + (patience ?? Patience);
        var pause = FirstPause;
        while (true)
        {
            try
            {
                return await call(Master);
            }
            catch (Exception e) when (IsTransient(e) && time.GetUtcNow() + pause < deadline && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(pause, time, cancellationToken);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
        }
    }

    public Task CallAsync(Func<IMasterGrain, Task> call, CancellationToken cancellationToken = default) =>
        CallAsync(async m => { await call(m); return true; }, cancellationToken);

    /// <summary>The master or its silo was briefly unreachable (the same failures the client retries).</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        FsException fs => fs.Code is FsErrorCode.Unavailable or FsErrorCode.Fenced,
        OrleansMessageRejectionException or TimeoutException or OperationCanceledException or IOException => true,
        _ => false,
    };
}
