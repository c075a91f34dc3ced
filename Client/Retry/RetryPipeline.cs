using OrleansFs.Errors;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace OrleansFs.Client.Retry;

/// <summary>
/// Runs one file-system call until it succeeds, fails for good, or its deadline passes. Every call of the
/// client core goes through here, so a mutation's request id (created once by the caller) rides on all its
/// attempts and the master answers a repeat from its retry cache. Transient failures
/// (<see cref="TransientFailure"/>) are retried with exponential backoff and full jitter, so clients that lost
/// the same master do not all come back at once; other errors pass through unchanged. Each attempt is bounded
/// by <see cref="OrleansFsClientOptions.AttemptTimeout"/> and ends early when the client loses a gateway
/// (<see cref="GatewayLossSignal"/>): its silo may be the one that died.
/// </summary>
public sealed class RetryPipeline
{
    private static readonly ResiliencePropertyKey<DateTime> DeadlineKey = new("ofs.deadline");
    private static readonly ResiliencePropertyKey<int> GaveUpAfterKey = new("ofs.gave-up-after");
    private static readonly ResiliencePropertyKey<TimeSpan> PauseKey = new("ofs.pause");
    private static readonly ResiliencePropertyKey<string> ClusterReasonKey = new("ofs.cluster-reason");

    public const string GatewayLostMessage = GatewayLossSignal.GatewayLost;

    private readonly TimeSpan _callTimeout;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeSpan _initialDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeProvider _time;
    private readonly GatewayLossSignal? _gatewayLoss;
    private readonly ResiliencePipeline? _pipeline;

    public RetryPipeline(TimeSpan callTimeout, TimeSpan attemptTimeout, TimeSpan initialDelay, TimeSpan maxDelay,
        GatewayLossSignal? gatewayLoss = null, TimeProvider? time = null)
    {
        _callTimeout = callTimeout;
        _attemptTimeout = attemptTimeout;
        _initialDelay = initialDelay;
        _maxDelay = maxDelay;
        _time = time ?? TimeProvider.System;
        _gatewayLoss = gatewayLoss;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                MaxDelay = maxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.AttemptNumber, args.Context)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(PauseKey, TimeSpan.Zero)),
            })
            .AddTimeout(new TimeoutStrategyOptions { TimeoutGenerator = args => ValueTask.FromResult(AttemptTimeout(args.Context)) })
            .Build();
    }

    public static RetryPipeline From(OrleansFsClientOptions options, GatewayLossSignal? gatewayLoss = null) =>
        new(options.CallTimeout, options.AttemptTimeout, options.InitialRetryDelay, options.MaxRetryDelay, gatewayLoss);

    /// <summary>
    /// One attempt with no deadline of its own, for a caller that bounds the wait and explains a failure itself: the
    /// web pages, which must answer quickly mid-failover rather than retry.
    /// </summary>
    public static RetryPipeline SingleAttempt { get; } = new();

    private RetryPipeline() => _time = TimeProvider.System;

    /// <summary>The defaults of <see cref="OrleansFsClientOptions"/>, for a core built without a host (no gateway signal).</summary>
    public static RetryPipeline Default { get; } = From(new OrleansFsClientOptions());

    public async Task<T> ExecuteAsync<T>(string? path, Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        if (_pipeline is null) return await attempt().WaitAsync(cancellationToken);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(DeadlineKey, _time.GetUtcNow().UtcDateTime + _callTimeout);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<T>(state.Self.AttemptAsync(state.Attempt, ctx.CancellationToken)), context, (Self: this, Attempt: attempt));
        }
        catch (Exception e) when (context.Properties.TryGetValue(GaveUpAfterKey, out int attempts))
        {
            throw GaveUp(path, attempts, e, context.Properties.GetValue(ClusterReasonKey, null!));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public Task ExecuteAsync(string? path, Func<Task> attempt, CancellationToken cancellationToken) =>
        ExecuteAsync(path, async () => { await attempt(); return true; }, cancellationToken);

    /// <summary>
    /// One attempt, abandoned when the timeout step cancels it or <see cref="GatewayLossSignal"/> fires; the latter
    /// fails with an <see cref="AttemptAbandonedException"/>, which is transient.
    /// </summary>
    private async Task<T> AttemptAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        if (_gatewayLoss is null) return await attempt().WaitAsync(cancellationToken);
        var lost = _gatewayLoss.Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost);
        try
        {
            return await attempt().WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AttemptAbandonedException(_gatewayLoss.Cause);
        }
    }

    /// <summary>
    /// Transient and not cancelled by the caller: retry after a jittered pause, unless that pause would end past
    /// the deadline; then the call gives up (with how many attempts it made).
    /// </summary>
    private bool ShouldRetry(Exception? failure, int attemptNumber, ResilienceContext context)
    {
        if (failure is null || context.CancellationToken.IsCancellationRequested || !TransientFailure.IsTransient(failure))
            return false;
        if (failure is FsException fs) context.Properties.Set(ClusterReasonKey, fs.Reason);
        if (failure is AttemptAbandonedException abandoned) context.Properties.Set(ClusterReasonKey, abandoned.Message);
        // An abandoned attempt's answer is lost for good: retry at once, where the next attempt can be answered.
        var pause = failure is AttemptAbandonedException ? TimeSpan.Zero : Jitter(Backoff(attemptNumber));
        if (_time.GetUtcNow().UtcDateTime + pause >= context.Properties.GetValue(DeadlineKey, DateTime.MinValue))
        {
            context.Properties.Set(GaveUpAfterKey, attemptNumber + 1);
            return false;
        }
        context.Properties.Set(PauseKey, pause);
        return true;
    }

    /// <summary>The first pause doubles with each attempt, up to the longest.</summary>
    private TimeSpan Backoff(int attemptNumber)
    {
        var delay = _initialDelay;
        for (int i = 0; i < attemptNumber && delay < _maxDelay; i++) delay *= 2;
        return delay < _maxDelay ? delay : _maxDelay;
    }

    /// <summary>An attempt waits its own timeout, or what is left of the call's, whichever is shorter.</summary>
    private TimeSpan AttemptTimeout(ResilienceContext context)
    {
        var remaining = context.Properties.GetValue(DeadlineKey, DateTime.MaxValue) - _time.GetUtcNow().UtcDateTime;
        var timeout = remaining < _attemptTimeout ? remaining : _attemptTimeout;
        // Polly reads zero or less as "no timeout"; a call this close to its deadline gets the shortest one.
        return timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMilliseconds(1);
    }

    /// <summary>
    /// Names the last reason the cluster itself gave (a master that cannot reach its journal, say) when the last
    /// attempt only timed out: an attempt cut short by the call's deadline says nothing a user can act on.
    /// </summary>
    private FsException GaveUp(string? path, int attempts, Exception last, string? clusterReason)
    {
        string reason = last switch
        {
            FsException fs => fs.Reason,
            TimeoutRejectedException or TimeoutException when clusterReason is not null => clusterReason,
            // What the caller would have read from a plain timed-out wait.
            TimeoutRejectedException => new TimeoutException().Message,
            _ => last.Message,
        };
        return new FsException(FsErrorCode.Unavailable, path,
            $"cluster unavailable after {attempts} attempt(s) in {_callTimeout.TotalSeconds:0.#} s: {reason}");
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * Random.Shared.NextDouble();
}
