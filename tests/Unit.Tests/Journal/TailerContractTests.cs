using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>
/// The warm standby's follower (<see cref="IJournalTailer"/>) on each backend, and recovery that continues from the
/// state it built (<see cref="JournalResume"/>).
/// </summary>
public abstract class TailerContractTests
{
    protected abstract Task<JournalBackend> NewBackendAsync();

    [Fact]
    public async Task It_applies_every_record_once_in_order_across_polls()
    {
        await using var backend = await NewBackendAsync();
        var (journal, _, _) = await backend.RecoverAsync();
        await using var _j = journal;
        var (tailer, followed) = await FollowAsync(backend, poll: false);
        using var _t = tailer;

        await JournalBackend.AppendAsync(journal, JournalHarness.Texts(1, 10));
        Assert.Equal(10, await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));
        Assert.Equal(0, await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));
        await JournalBackend.AppendAsync(journal, JournalHarness.Texts(11, 30));
        Assert.Equal(30, await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));

        Assert.Equal(JournalHarness.Texts(1, 40), followed.Entries);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), followed.Sequences);
        Assert.Equal(40, tailer.LastSequence);
        Assert.Equal(40, tailer.RecordsApplied);
    }

    [Fact]
    public async Task It_applies_at_most_the_limit_per_poll_and_the_rest_on_the_next()
    {
        await using var backend = await NewBackendAsync();
        await backend.WriteAsync(JournalHarness.Texts(1, 25));
        var (tailer, followed) = await FollowAsync(backend, poll: false);
        using var _t = tailer;

        Assert.Equal(10, await tailer.PollAsync(followed.Apply, 10, CancellationToken.None));
        Assert.Equal(10, await tailer.PollAsync(followed.Apply, 10, CancellationToken.None));
        Assert.Equal(5, await tailer.PollAsync(followed.Apply, 10, CancellationToken.None));
        Assert.Equal(JournalHarness.Texts(1, 25), followed.Entries);
    }

    [Fact]
    public async Task It_follows_a_new_master_into_its_epoch()
    {
        await using var backend = await NewBackendAsync();
        await backend.WriteAsync(JournalHarness.Texts(1, 5));
        var (tailer, followed) = await FollowAsync(backend, poll: true);
        using var _t = tailer;

        await backend.WriteAsync(JournalHarness.Texts(6, 5));
        Assert.Equal(5, await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));

        Assert.Equal(JournalHarness.Texts(1, 10), followed.Entries);
        Assert.Equal(new Dictionary<long, long> { [1] = 5, [2] = 10 }, tailer.LastSequenceByEpoch);
    }

    [Fact]
    public async Task It_starts_from_the_newest_checkpoint()
    {
        await using var backend = await NewBackendAsync();
        var (journal, _, _) = await backend.RecoverAsync();
        await using (journal)
        {
            await JournalBackend.AppendAsync(journal, JournalHarness.Texts(1, 6));
            await journal.WriteCheckpointAsync(6, JournalTestState.Snapshot(JournalHarness.Texts(1, 6)), CancellationToken.None);
            await JournalBackend.AppendAsync(journal, JournalHarness.Texts(7, 3));
        }
        var (tailer, followed) = await FollowAsync(backend, poll: false);
        using var _t = tailer;

        Assert.Equal(6, tailer.CheckpointSequence);
        Assert.Equal(3, await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));
        Assert.Equal(JournalHarness.Texts(1, 9), followed.Entries);
        Assert.Equal([7L, 8L, 9L], followed.Sequences);
    }

    [Fact]
    public async Task Recovery_from_a_followed_state_replays_only_the_records_after_it()
    {
        await using var backend = await NewBackendAsync();
        await backend.WriteAsync(JournalHarness.Texts(1, 50));
        var (tailer, followed) = await FollowAsync(backend, poll: true);
        using var _t = tailer;
        await backend.WriteAsync(JournalHarness.Texts(51, 10));

        bool rejected = false;
        var journal = backend.Open();
        await using (journal)
        {
            var result = await journal.RecoverAsync(followed.LoadCheckpointAsync, followed.Apply, CancellationToken.None,
                new JournalResume(tailer.LastSequence, tailer.LastSequenceByEpoch, () => rejected = true));
            Assert.False(rejected);
            Assert.Equal(50, result.ResumedFrom);
            Assert.Equal(10, result.RecordsReplayed);
        }
        Assert.Equal(0, followed.CheckpointsLoaded);
        var (again, full, _) = await backend.RecoverAsync();
        await using var _a = again;
        Assert.Equal(full.Entries, followed.Entries);
    }

    [Fact]
    public async Task A_follower_left_behind_by_pruning_is_told_to_start_over_and_recovery_falls_back_to_the_checkpoint()
    {
        await using var backend = await NewBackendAsync();
        var (journal, _, _) = await backend.RecoverAsync();
        var (tailer, followed) = await FollowAsync(backend, poll: false);
        using var _t = tailer;
        await using (journal)
        {
            await JournalBackend.AppendAsync(journal, JournalHarness.Texts(1, 10));
            await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None);
            // Two checkpoints later the records from 11 on are gone (one checkpoint is kept back).
            await JournalBackend.AppendAsync(journal, JournalHarness.Texts(11, 20));
            await journal.WriteCheckpointAsync(30, JournalTestState.Snapshot(JournalHarness.Texts(1, 30)), CancellationToken.None);
            await JournalBackend.AppendAsync(journal, JournalHarness.Texts(31, 20));
            await journal.WriteCheckpointAsync(50, JournalTestState.Snapshot(JournalHarness.Texts(1, 50)), CancellationToken.None);
            await JournalBackend.AppendAsync(journal, JournalHarness.Texts(51, 5));
        }
        long oldestKept = await backend.OldestStoredSequenceAsync();
        Assert.True(oldestKept > 11, $"the records from sequence 11 should be pruned; the oldest left is {oldestKept}");
        await Assert.ThrowsAsync<InvalidDataException>(() => tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));

        var recovering = backend.Open();
        await using (recovering)
        {
            var result = await recovering.RecoverAsync(followed.LoadCheckpointAsync, followed.Apply, CancellationToken.None,
                new JournalResume(tailer.LastSequence, tailer.LastSequenceByEpoch, () =>
                {
                    followed.Entries.Clear();
                    followed.Sequences.Clear();
                }));
            Assert.Null(result.ResumedFrom);
        }
        Assert.Equal(JournalHarness.Texts(1, 55), followed.Entries);
    }

    /// <summary>A follower of the backend's journal, started (and, with <paramref name="poll"/>, caught up once).</summary>
    protected static async Task<(IJournalTailer Tailer, JournalTestState Followed)> FollowAsync(JournalBackend backend, bool poll)
    {
        var tailer = backend.Tailer();
        var followed = new JournalTestState();
        await tailer.StartAsync(followed.LoadCheckpointAsync, CancellationToken.None);
        if (poll) await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None);
        return (tailer, followed);
    }
}
