using System.Diagnostics;
using OrleansFs.Client.Retry;
using OrleansFs.Errors;
using Xunit;

namespace OrleansFs.Tests.Client;

public class RetryPipelineTests
{
    private static RetryPipeline Pipeline(TimeSpan call, TimeSpan attempt, GatewayLossSignal? loss = null) =>
        new(call, attempt, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), loss);

    [Fact]
    public async Task A_transient_failure_is_retried_until_the_call_succeeds()
    {
        int attempts = 0;
        var result = await Pipeline(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)).ExecuteAsync("/a", () =>
            ++attempts < 3 ? Task.FromException<int>(new SiloUnavailableException("gone")) : Task.FromResult(42), CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task A_fenced_or_unavailable_master_is_retried()
    {
        int attempts = 0;
        await Pipeline(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)).ExecuteAsync("/a", () => ++attempts switch
        {
            1 => Task.FromException(new FsException(FsErrorCode.Fenced, null, "stale master")),
            2 => Task.FromException(FsException.Unavailable("recovering")),
            _ => Task.CompletedTask,
        }, CancellationToken.None);

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task A_non_transient_error_passes_through_after_one_attempt()
    {
        int attempts = 0;
        var notFound = FsException.NotFound("/missing");
        var thrown = await Assert.ThrowsAsync<FsException>(() => Pipeline(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5))
            .ExecuteAsync("/missing", () => { attempts++; return Task.FromException<int>(notFound); }, CancellationToken.None));

        Assert.Same(notFound, thrown);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Orleans_expiring_a_message_before_placement_counts_as_transient()
    {
        int attempts = 0;
        await Pipeline(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)).ExecuteAsync("/a", () =>
            ++attempts == 1 ? Task.FromException(new OperationCanceledException("Message expired before placement could complete")) : Task.CompletedTask,
            CancellationToken.None);

        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task A_call_that_keeps_failing_gives_up_at_its_deadline_naming_the_attempts_and_the_last_reason()
    {
        int attempts = 0;
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<FsException>(() => Pipeline(TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5))
            .ExecuteAsync("/a", () => { attempts++; return Task.FromException(FsException.Unavailable("no master yet")); }, CancellationToken.None));

        Assert.Equal(FsErrorCode.Unavailable, e.Code);
        Assert.Equal("/a", e.Path);
        Assert.Equal($"cluster unavailable after {attempts} attempt(s) in 0.4 s: no master yet", e.Reason);
        Assert.True(attempts > 1, $"only {attempts} attempt(s)");
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_last_attempt_cut_by_the_deadline_still_names_what_the_cluster_said_before()
    {
        int attempts = 0;
        var never = new TaskCompletionSource();
        var e = await Assert.ThrowsAsync<FsException>(() => Pipeline(TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5))
            .ExecuteAsync("/a", () => ++attempts == 1
                ? Task.FromException(FsException.Unavailable("cannot reach the PostgreSQL journal at postgresql://db:5432/ofs"))
                : never.Task, CancellationToken.None));

        Assert.Equal(2, attempts);
        Assert.Equal("cluster unavailable after 2 attempt(s) in 0.4 s: cannot reach the PostgreSQL journal at postgresql://db:5432/ofs", e.Reason);
    }

    [Fact]
    public async Task An_attempt_that_hangs_is_cut_at_the_attempt_timeout_and_retried()
    {
        int attempts = 0;
        var never = new TaskCompletionSource<int>();
        var clock = Stopwatch.StartNew();
        var result = await Pipeline(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200))
            .ExecuteAsync("/a", () => ++attempts == 1 ? never.Task : Task.FromResult(7), CancellationToken.None);

        Assert.Equal(7, result);
        Assert.Equal(2, attempts);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Attempts_that_all_hang_end_with_the_timed_out_reason_at_the_deadline()
    {
        var never = new TaskCompletionSource<int>();
        var e = await Assert.ThrowsAsync<FsException>(() => Pipeline(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(100))
            .ExecuteAsync("/a", () => never.Task, CancellationToken.None));

        Assert.Matches(@"^cluster unavailable after \d+ attempt\(s\) in 0\.5 s: The operation has timed out\.$", e.Reason);
    }

    [Fact]
    public async Task Losing_a_gateway_cuts_the_attempt_in_flight_long_before_its_timeout()
    {
        var loss = new GatewayLossSignal();
        int attempts = 0;
        var never = new TaskCompletionSource<int>();
        var clock = Stopwatch.StartNew();
        var call = Pipeline(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20), loss)
            .ExecuteAsync("/a", () => ++attempts == 1 ? never.Task : Task.FromResult(1), CancellationToken.None);
        await Task.Delay(100);
        loss.OnGatewayCountChanged(current: 1, previous: 2);

        Assert.Equal(1, await call);
        Assert.Equal(2, attempts);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_silo_declared_dead_cuts_the_attempt_in_flight_and_the_same_call_is_retried_without_a_pause()
    {
        var loss = new GatewayLossSignal();
        int attempts = 0;
        var never = new TaskCompletionSource<int>();
        // A pause after an ordinary failure would be at least 5 s here.
        var pipeline = new RetryPipeline(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), loss);
        var call = pipeline.ExecuteAsync("/a", () => ++attempts == 1 ? never.Task : Task.FromResult(7), CancellationToken.None);
        await Task.Delay(100);
        var clock = Stopwatch.StartNew();
        loss.OnSiloDeclaredDead("S127.0.0.1:11111:1");

        Assert.Equal(7, await call);
        Assert.Equal(2, attempts);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the retry came {clock.Elapsed} after the death");
    }

    [Fact]
    public async Task A_call_that_gives_up_after_abandoned_attempts_names_the_dead_silo()
    {
        var loss = new GatewayLossSignal();
        var never = new TaskCompletionSource<int>();
        var call = Pipeline(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(20), loss).ExecuteAsync("/a", () => never.Task, CancellationToken.None);
        using var deaths = new Timer(_ => loss.OnSiloDeclaredDead("S127.0.0.1:11111:1"), null, 50, 50);

        var e = await Assert.ThrowsAsync<FsException>(() => call);
        Assert.Contains("silo S127.0.0.1:11111:1 was declared dead while the call was in flight", e.Reason);
    }

    [Fact]
    public async Task A_gateway_coming_back_does_not_cut_anything()
    {
        var loss = new GatewayLossSignal();
        int attempts = 0;
        var answer = new TaskCompletionSource<int>();
        var call = Pipeline(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20), loss)
            .ExecuteAsync("/a", () => { attempts++; return answer.Task; }, CancellationToken.None);
        loss.OnGatewayCountChanged(current: 2, previous: 1);
        await Task.Delay(100);
        answer.SetResult(5);

        Assert.Equal(5, await call);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_retried()
    {
        using var cancel = new CancellationTokenSource();
        int attempts = 0;
        var never = new TaskCompletionSource<int>();
        var call = Pipeline(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20)).ExecuteAsync("/a", () => { attempts++; return never.Task; }, cancel.Token);
        await Task.Delay(50);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, attempts);
    }
}
