using Orleans.Runtime;

namespace OrleansFs.Tests.Master;

/// <summary>Calls made while the cluster notices the master's stopped silo may be rejected; a client retries them.</summary>
public static class MasterMoveRetry
{
    /// <summary>Retries <paramref name="call"/> on a rejected or timed-out call for up to 30 s.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
