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
    // How many attempts the call made before it entered the pipeline: its attempt numbers (backoff, count) go on from there.
    private static readonly ResiliencePropertyKey<int> FirstAttemptKey = new("ofs.first-attempt");

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

    public Task<T> ExecuteAsync<T>(string? path, Func<Task<T>> attempt, CancellationToken cancellationToken) =>
        ExecuteAsync(path, static attempt => attempt(), attempt, cancellationToken);

    /// <summary>
    /// As <see cref="ExecuteAsync{T}(string?, Func{Task{T}}, CancellationToken)"/>, with the attempt's state passed
    /// in, so a hot caller needs no closure. The first attempt of a call the caller cannot cancel runs without the
    /// Polly pipeline (one timed wait, no context, no linked token source): the same timeout, abandon and errors,
    /// at a fraction of the cost; only a call that needs a retry, or that can be cancelled, enters the pipeline.
    /// </summary>
    public async Task<T> ExecuteAsync<TState, T>(string? path, Func<TState, Task<T>> attempt, TState state, CancellationToken cancellationToken)
    {
        if (_pipeline is null) return await attempt(state).WaitAsync(cancellationToken);
        var deadline = _time.GetUtcNow().UtcDateTime + _callTimeout;
        if (cancellationToken.CanBeCanceled) return await RetriesAsync(path, attempt, state, deadline, firstAttempt: 0, null, cancellationToken);
        Exception failure;
        try
        {
            return await FirstAttemptAsync(attempt, state, AttemptTimeout(deadline));
        }
        catch (Exception e) when (TransientFailure.IsTransient(e))
        {
            failure = e;
        }
        string? clusterReason = null;
        var pause = PauseBeforeRetry(failure, 0, deadline, ref clusterReason);
        if (pause is null) throw GaveUp(path, 1, failure, clusterReason);
        if (pause.Value > TimeSpan.Zero) await Task.Delay(pause.Value, _time);
        return await RetriesAsync(path, attempt, state, deadline, firstAttempt: 1, clusterReason, cancellationToken);
    }

    public Task ExecuteAsync(string? path, Func<Task> attempt, CancellationToken cancellationToken) =>
        ExecuteAsync(path, static async attempt => { await attempt(); return true; }, attempt, cancellationToken);

    /// <summary>
    /// One attempt as the pipeline runs it (<see cref="AttemptAsync{T}"/> under the timeout step), for a call nobody
    /// else can cancel: a wait bounded by <paramref name="timeout"/> and the gateway signal, failing as the pipeline's
    /// attempt would (<see cref="TimeoutRejectedException"/>, <see cref="AttemptAbandonedException"/>).
    /// </summary>
    private async Task<T> FirstAttemptAsync<TState, T>(Func<TState, Task<T>> attempt, TState state, TimeSpan timeout)
    {
        var lost = _gatewayLoss?.Token ?? default;
        var task = attempt(state);
        try
        {
            return await task.WaitAsync(timeout, _time, lost);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutRejectedException(timeout);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !task.IsCompleted)
        {
            throw new AttemptAbandonedException(_gatewayLoss!.Cause);
        }
    }

    /// <summary>The attempts from <paramref name="firstAttempt"/> on, through the Polly pipeline.</summary>
    private async Task<T> RetriesAsync<TState, T>(string? path, Func<TState, Task<T>> attempt, TState state, DateTime deadline,
        int firstAttempt, string? clusterReason, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(DeadlineKey, deadline);
        context.Properties.Set(FirstAttemptKey, firstAttempt);
        if (clusterReason is not null) context.Properties.Set(ClusterReasonKey, clusterReason);
        try
        {
            return await _pipeline!.ExecuteAsync(
                static (ctx, s) => new ValueTask<T>(s.Self.AttemptAsync(s.Attempt, s.State, ctx.CancellationToken)), context,
                (Self: this, Attempt: attempt, State: state));
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

    /// <summary>
    /// One attempt, abandoned when the timeout step cancels it or <see cref="GatewayLossSignal"/> fires; the latter
    /// fails with an <see cref="AttemptAbandonedException"/>, which is transient.
    /// </summary>
    private async Task<T> AttemptAsync<TState, T>(Func<TState, Task<T>> attempt, TState state, CancellationToken cancellationToken)
    {
        if (_gatewayLoss is null) return await attempt(state).WaitAsync(cancellationToken);
        var lost = _gatewayLoss.Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost);
        try
        {
            return await attempt(state).WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AttemptAbandonedException(_gatewayLoss.Cause);
        }
    }

    /// <summary>Transient and not cancelled by the caller: retry after <see cref="PauseBeforeRetry"/>, or give up.</summary>
    private bool ShouldRetry(Exception? failure, int attemptNumber, ResilienceContext context)
    {
        if (failure is null || context.CancellationToken.IsCancellationRequested || !TransientFailure.IsTransient(failure))
            return false;
        attemptNumber += context.Properties.GetValue(FirstAttemptKey, 0);
        string? clusterReason = context.Properties.GetValue(ClusterReasonKey, null!);
        var pause = PauseBeforeRetry(failure, attemptNumber, context.Properties.GetValue(DeadlineKey, DateTime.MinValue), ref clusterReason);
        if (clusterReason is not null) context.Properties.Set(ClusterReasonKey, clusterReason);
        if (pause is null)
        {
            context.Properties.Set(GaveUpAfterKey, attemptNumber + 1);
            return false;
        }
        context.Properties.Set(PauseKey, pause.Value);
        return true;
    }

    /// <summary>
    /// After a transient failure of attempt <paramref name="attemptNumber"/> (0 for the first): a jittered pause, or
    /// null when that pause would end past the deadline (the call gives up). Keeps the last reason the cluster gave.
    /// </summary>
    private TimeSpan? PauseBeforeRetry(Exception failure, int attemptNumber, DateTime deadline, ref string? clusterReason)
    {
        if (failure is FsException fs) clusterReason = fs.Reason;
        if (failure is AttemptAbandonedException abandoned) clusterReason = abandoned.Message;
        // An abandoned attempt's answer is lost for good: retry at once, where the next attempt can be answered.
        var pause = failure is AttemptAbandonedException ? TimeSpan.Zero : Jitter(Backoff(attemptNumber));
        return _time.GetUtcNow().UtcDateTime + pause >= deadline ? null : pause;
    }

    /// <summary>The first pause doubles with each attempt, up to the longest.</summary>
    private TimeSpan Backoff(int attemptNumber)
    {
        var delay = _initialDelay;
        for (int i = 0; i < attemptNumber && delay < _maxDelay; i++) delay *= 2;
        return delay < _maxDelay ? delay : _maxDelay;
    }

    private TimeSpan AttemptTimeout(ResilienceContext context) => AttemptTimeout(context.Properties.GetValue(DeadlineKey, DateTime.MaxValue));

    /// <summary>An attempt waits its own timeout, or what is left of the call's, whichever is shorter.</summary>
    private TimeSpan AttemptTimeout(DateTime deadline)
    {
        var remaining = deadline - _time.GetUtcNow().UtcDateTime;
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
