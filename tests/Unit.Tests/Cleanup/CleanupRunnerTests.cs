using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Master.Cleanup;
using OrleansFs.Tests.Master;

namespace OrleansFs.Tests.Cleanup;

/// <summary>The runner carries tasks out oldest first, journals them done, retries transient failures, and holds back creates.</summary>
public sealed class CleanupRunnerTests
{
    private sealed class RecordingEffects : ICleanupEffects
    {
        public List<string> Ran { get; } = new();
        public Func<CleanupTask, Task>? Before { get; set; }

        public async Task RunAsync(CleanupTask task, CancellationToken cancellationToken)
        {
            if (Before is not null) await Before(task);
            lock (Ran) Ran.Add(task.Describe());
        }
    }

    private static async Task PersistedFileAsync(TestMaster m, string path)
    {
        await m.Service.CreateFile(path, new CreateFileOptions { Recursive = true }, Guid.NewGuid());
        await m.Service.CompleteFile(path, 0, Guid.NewGuid());
        await m.Service.SetAttribute(path, new SetAttributeOptions { PersistenceState = PersistenceState.Persisted }, Guid.NewGuid());
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Tasks_run_in_journal_order_and_are_journaled_done_so_a_restart_does_not_repeat_them()
    {
        var m = await TestMaster.StartAsync();
        await PersistedFileAsync(m, "/a");
        await PersistedFileAsync(m, "/b");
        await m.Service.Delete("/a", false, Guid.NewGuid());
        await m.Service.Rename("/b", "/a", Guid.NewGuid());
        var effects = new RecordingEffects();
        var runner = new CleanupRunner(m.Service, effects, TimeProvider.System, NullLogger.Instance);

        runner.Kick();
        await EventuallyAsync(() => m.Service.State.Cleanups.IsEmpty);
        await runner.StopAsync();

        Assert.Equal(["delete /a (0 blocks)", "rename /b -> /a"], effects.Ran);
        await using var restarted = await m.RestartAsync();
        Assert.Empty(restarted.Service.State.Cleanups);
    }

    [Fact]
    public async Task A_transient_failure_stops_the_pass_and_the_next_kick_retries_from_that_task()
    {
        await using var m = await TestMaster.StartAsync();
        await PersistedFileAsync(m, "/a");
        await PersistedFileAsync(m, "/b");
        await m.Service.Delete("/a", false, Guid.NewGuid());
        await m.Service.Delete("/b", false, Guid.NewGuid());
        int failures = 1;
        var effects = new RecordingEffects
        {
            Before = _ => Interlocked.Decrement(ref failures) >= 0 ? Task.FromException(new IOException("disk hiccup")) : Task.CompletedTask,
        };
        var runner = new CleanupRunner(m.Service, effects, TimeProvider.System, NullLogger.Instance);

        runner.Kick();
        await EventuallyAsync(() => Volatile.Read(ref failures) <= 0);
        await Task.Delay(50);
        Assert.Equal(2, m.Service.State.Cleanups.Count);
        Assert.Empty(effects.Ran);

        runner.Kick();
        await EventuallyAsync(() => m.Service.State.Cleanups.IsEmpty);
        await runner.StopAsync();
        Assert.Equal(["delete /a (0 blocks)", "delete /b (0 blocks)"], effects.Ran);
    }

    [Fact]
    public async Task A_task_that_can_never_succeed_is_dropped_and_the_rest_go_on()
    {
        await using var m = await TestMaster.StartAsync();
        await PersistedFileAsync(m, "/a");
        await PersistedFileAsync(m, "/b");
        await m.Service.Rename("/a", "/x", Guid.NewGuid());
        await m.Service.Delete("/b", false, Guid.NewGuid());
        var effects = new RecordingEffects
        {
            Before = task => task.Kind == CleanupKind.Rename ? Task.FromException(FsException.AlreadyExists("/x")) : Task.CompletedTask,
        };
        var runner = new CleanupRunner(m.Service, effects, TimeProvider.System, NullLogger.Instance);

        runner.Kick();
        await EventuallyAsync(() => m.Service.State.Cleanups.IsEmpty);
        await runner.StopAsync();

        Assert.Equal(["delete /b (0 blocks)"], effects.Ran);
    }

    [Fact]
    public async Task A_create_waits_until_the_cleanup_at_its_path_is_done_and_times_out_when_it_hangs()
    {
        await using var m = await TestMaster.StartAsync();
        await PersistedFileAsync(m, "/dir/f");
        await m.Service.Delete("/dir", true, Guid.NewGuid());
        var release = new TaskCompletionSource();
        var effects = new RecordingEffects { Before = _ => release.Task };
        var runner = new CleanupRunner(m.Service, effects, TimeProvider.System, NullLogger.Instance);

        // Elsewhere: no wait at all.
        Assert.True(runner.WaitUntilClearAsync("/other/f", TimeSpan.FromSeconds(5)).IsCompletedSuccessfully);

        var error = await Assert.ThrowsAsync<FsException>(() => runner.WaitUntilClearAsync("/dir/f", TimeSpan.FromMilliseconds(200)));
        Assert.Equal(FsErrorCode.Unavailable, error.Code);
        Assert.Contains("/dir/f", error.Message);

        var waiting = runner.WaitUntilClearAsync("/dir/f", TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        release.SetResult();
        await waiting;
        Assert.Empty(m.Service.State.Cleanups);
        await runner.StopAsync();
    }
}
