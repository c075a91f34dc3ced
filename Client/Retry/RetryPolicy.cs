using OrleansFs.Errors;

namespace OrleansFs.Client.Retry;

/// <summary>
/// Runs one file-system call until it succeeds, fails for good, or its deadline passes. Transient
/// failures are retried with exponential backoff and full jitter, so clients that lost the same master
/// do not all come back at once. Other errors pass through unchanged. An attempt also ends early when the
/// client loses a gateway (<see cref="GatewayLossSignal"/>): its silo may be the one that died.
/// </summary>
public sealed class RetryPolicy(TimeSpan callTimeout, TimeSpan attemptTimeout, TimeSpan initialDelay, TimeSpan maxDelay,
    GatewayLossSignal? gatewayLoss = null)
{
    public static RetryPolicy From(OrleansFsClientOptions options, GatewayLossSignal? gatewayLoss = null) =>
        new(options.CallTimeout, options.AttemptTimeout, options.InitialRetryDelay, options.MaxRetryDelay, gatewayLoss);

    public async Task<T> ExecuteAsync<T>(string? path, Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + callTimeout;
        var delay = initialDelay;
        for (int attempts = 1; ; attempts++)
        {
            var remaining = deadline - DateTime.UtcNow;
            try
            {
                return await AttemptAsync(attempt, Min(remaining, attemptTimeout), cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && TransientFailure.IsTransient(e))
            {
                var pause = Jitter(delay);
                if (DateTime.UtcNow + pause >= deadline)
                    throw GaveUp(path, attempts, e);
                await Task.Delay(pause, cancellationToken);
                delay = Min(delay * 2, maxDelay);
            }
        }
    }

    public Task ExecuteAsync(string? path, Func<Task> attempt, CancellationToken cancellationToken) =>
        ExecuteAsync(path, async () => { await attempt(); return true; }, cancellationToken);

    private async Task<T> AttemptAsync<T>(Func<Task<T>> attempt, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (gatewayLoss is null) return await attempt().WaitAsync(timeout, cancellationToken);
        var lost = gatewayLoss.Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost);
        try
        {
            return await attempt().WaitAsync(timeout, linked.Token);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("a gateway connection was lost while the call was in flight");
        }
    }

    private FsException GaveUp(string? path, int attempts, Exception last)
    {
        string reason = last is FsException fs ? fs.Reason : last.Message;
        return new FsException(FsErrorCode.Unavailable, path,
            $"cluster unavailable after {attempts} attempt(s) in {callTimeout.TotalSeconds:0.#} s: {reason}");
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * Random.Shared.NextDouble();

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
