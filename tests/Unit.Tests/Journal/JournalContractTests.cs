using OrleansFs.Errors;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>
/// What every journal backend guarantees (see <see cref="IJournal"/>): recovery in order, dense sequences
/// assigned at append, group commit, checkpoints with fallback and pruning, a crash mid-batch losing only what
/// was never acknowledged, and damage refused loudly. Run against each backend by a derived class.
/// </summary>
public abstract class JournalContractTests
{
    protected abstract Task<JournalBackend> NewBackendAsync();

    [Fact]
    public async Task Recovery_gives_back_every_acknowledged_record_in_order()
    {
        await using var backend = await NewBackendAsync();
        string[] texts = JournalHarness.Texts(1, 50);
        await backend.WriteAsync(texts);

        var (journal, state, result) = await backend.RecoverAsync();
        await using var _ = journal;

        Assert.Equal(texts, state.Entries);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), state.Sequences);
        Assert.Equal(50, result.LastSequence);
        Assert.Equal(50, result.RecordsReplayed);
        Assert.Equal(0, result.TornBytesTruncated);
    }

    [Fact]
    public async Task A_fresh_journal_recovers_empty_and_sequences_start_at_one()
    {
        await using var backend = await NewBackendAsync();
        var (journal, state, result) = await backend.RecoverAsync();
        await using var _ = journal;

        Assert.Empty(state.Entries);
        Assert.Equal(0, result.LastSequence);
        Assert.Equal(1, await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("first")));
        Assert.Equal(2, await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("second")));
        Assert.Equal(backend.Kind, journal.Stats.Kind);
    }

    [Fact]
    public async Task Each_recovery_takes_a_higher_epoch_and_records_carry_it()
    {
        await using var backend = await NewBackendAsync();
        await backend.WriteAsync("a");
        await backend.WriteAsync("b");

        var (journal, _, result) = await backend.RecoverAsync();
        await using var _j = journal;

        Assert.Equal(3, result.Epoch);
        Assert.Equal([1L, 2L], (await backend.ReadAllAsync()).Select(r => r.Epoch));
    }

    [Fact]
    public async Task Many_concurrent_appends_share_far_fewer_flushes_and_all_are_acknowledged_and_recovered()
    {
        await using var backend = await NewBackendAsync();
        const int count = 2_000;
        var (journal, _, _) = await backend.RecoverAsync();
        long[] sequences;
        long flushes;
        await using (journal)
        {
            // Start every append before awaiting any, as concurrent grain calls would.
            var appends = Enumerable.Range(0, count)
                .Select(i => journal.Append(JournalTestState.RecordType, JournalTestState.Payload($"r{i}")))
                .ToArray();
            sequences = await Task.WhenAll(appends);
            flushes = journal.Stats.Flushes;
        }

        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), sequences);
        Assert.InRange(flushes, 1, count / 10);
        var (again, state, _) = await backend.RecoverAsync();
        await using var _a = again;
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"r{i}"), state.Entries);
    }

    [Fact]
    public async Task Appends_from_many_threads_are_numbered_densely_and_journal_order_is_assignment_order()
    {
        await using var backend = await NewBackendAsync();
        var (journal, _, _) = await backend.RecoverAsync();
        var assigned = new System.Collections.Concurrent.ConcurrentDictionary<long, string>();
        await using (journal)
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                for (int i = 0; i < 100; i++)
                {
                    string text = $"w{worker}-{i}";
                    assigned[await journal.Append(JournalTestState.RecordType, JournalTestState.Payload(text))] = text;
                }
            })));
        }

        var (again, state, _) = await backend.RecoverAsync();
        await using var _a = again;
        Assert.Equal(Enumerable.Range(1, 800).Select(i => (long)i), state.Sequences);
        Assert.Equal(state.Sequences.Select(s => assigned[s]), state.Entries);
    }

    [Fact]
    public async Task A_checkpoint_plus_later_records_recover_to_the_same_state()
    {
        await using var backend = await NewBackendAsync();
        var (journal, _, _) = await backend.RecoverAsync();
        await using (journal)
        {
            await JournalBackend.AppendAsync(journal, JournalHarness.Texts(1, 30));
            await journal.WriteCheckpointAsync(30, JournalTestState.Snapshot(JournalHarness.Texts(1, 30)), CancellationToken.None);
            await JournalBackend.AppendAsync(journal, JournalHarness.Texts(31, 10));
            Assert.Equal(30, journal.Stats.LastCheckpointSequence);
            Assert.Equal(10, journal.Stats.RecordsSinceCheckpoint);
        }

        var (again, recovered, result) = await backend.RecoverAsync();
        await using var _ = again;
        Assert.Equal(JournalHarness.Texts(1, 40), recovered.Entries);
        Assert.Equal(1, recovered.CheckpointsLoaded);
        Assert.Equal(30, result.CheckpointSequence);
        Assert.Equal(10, result.RecordsReplayed);
        Assert.Equal(40, result.LastSequence);
    }

    [Fact]
    public async Task A_big_checkpoint_round_trips_byte_for_byte()
    {
        await using var backend = await NewBackendAsync();
        var body = new byte[3 * 1024 * 1024 + 17];
        new Random(42).NextBytes(body);
        var (journal, _, _) = await backend.RecoverAsync();
        await using (journal)
        {
            await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("x"));
            await journal.WriteCheckpointAsync(1, async (stream, ct) =>
            {
                for (int offset = 0; offset < body.Length; offset += 65_000)
                    await stream.WriteAsync(body.AsMemory(offset, Math.Min(65_000, body.Length - offset)), ct);
            }, CancellationToken.None);
        }

        var again = backend.Open();
        await using var _ = again;
        byte[]? loaded = null;
        await again.RecoverAsync(async (stream, ct) =>
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct);
            loaded = copy.ToArray();
        }, _ => { }, CancellationToken.None);
        Assert.Equal(body, loaded);
    }

    [Fact]
    public async Task A_damaged_newest_checkpoint_falls_back_to_the_previous_one()
    {
        await using var backend = await NewBackendAsync();
        var (journal, _, _) = await backend.RecoverAsync();
        await using (journal)
        {
            for (int i = 1; i <= 20; i++)
            {
                await journal.Append(JournalTestState.RecordType, JournalTestState.Payload($"record-{i}"));
                if (i is 10 or 20)
                    await journal.WriteCheckpointAsync(i, JournalTestState.Snapshot(JournalHarness.Texts(1, i)), CancellationToken.None);
            }
        }
        Assert.Equal([20L, 10L], await backend.CheckpointsAsync());
        await backend.DamageCheckpointAsync(20);

        var (again, state, result) = await backend.RecoverAsync();
        await using var _ = again;
        Assert.Equal(10, result.CheckpointSequence);
        Assert.Equal(JournalHarness.Texts(1, 20), state.Entries);
    }

    [Fact]
    public async Task Checkpoints_prune_records_covered_by_the_previous_checkpoint_and_keep_one_back()
    {
        await using var backend = await NewBackendAsync();
        var (journal, _, _) = await backend.RecoverAsync();
        await using (journal)
        {
            for (int i = 1; i <= 90; i++)
            {
                await journal.Append(JournalTestState.RecordType, JournalTestState.Payload($"record-{i}"));
                if (i % 30 == 0)
                    await journal.WriteCheckpointAsync(i, JournalTestState.Snapshot(JournalHarness.Texts(1, i)), CancellationToken.None);
            }
        }

        Assert.Equal([90L, 60L], await backend.CheckpointsAsync());
        long oldest = await backend.OldestStoredSequenceAsync();
        Assert.InRange(oldest, 31, 61); // what checkpoint 60 covers is (mostly) gone, what it needs is kept

        // Even with the newest checkpoint damaged, what is left recovers everything.
        await backend.DamageCheckpointAsync(90);
        var (again, state, result) = await backend.RecoverAsync();
        await using var _ = again;
        Assert.Equal(60, result.CheckpointSequence);
        Assert.Equal(JournalHarness.Texts(1, 90), state.Entries);
    }

    [Fact]
    public async Task A_checkpoint_whose_writer_fails_leaves_nothing_and_the_previous_one_stands()
    {
        await using var backend = await NewBackendAsync();
        var (journal, _, _) = await backend.RecoverAsync();
        await using (journal)
        {
            await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("record-1"));
            await journal.WriteCheckpointAsync(1, JournalTestState.Snapshot(["record-1"]), CancellationToken.None);
            await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("record-2"));
            await Assert.ThrowsAsync<InvalidOperationException>(() => journal.WriteCheckpointAsync(2, async (stream, ct) =>
            {
                await stream.WriteAsync(new byte[2 * 1024 * 1024], ct);
                throw new InvalidOperationException("snapshot failed half way");
            }, CancellationToken.None));
            Assert.Equal(1, journal.Stats.LastCheckpointSequence);
        }

        Assert.Equal([1L], await backend.CheckpointsAsync());
        var (again, state, result) = await backend.RecoverAsync();
        await using var _ = again;
        Assert.Equal(1, result.CheckpointSequence);
        Assert.Equal(["record-1", "record-2"], state.Entries);
    }

    [Fact]
    public async Task A_checkpoint_beyond_the_last_sequence_is_refused()
    {
        await using var backend = await NewBackendAsync();
        var (journal, _, _) = await backend.RecoverAsync();
        await using var _ = journal;
        await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("a"));

        var error = await Assert.ThrowsAsync<FsException>(() =>
            journal.WriteCheckpointAsync(5, JournalTestState.Snapshot([]), CancellationToken.None));
        Assert.Equal(FsErrorCode.InvalidArgument, error.Code);
        Assert.Empty(await backend.CheckpointsAsync());
    }

    [Fact]
    public async Task A_batch_cut_short_by_a_crash_is_not_replayed_and_the_next_master_continues_densely()
    {
        await using var backend = await NewBackendAsync();
        await backend.WriteAsync(JournalHarness.Texts(1, 5));
        await backend.CrashMidBatchAsync(firstSequence: 6, epoch: 1);

        var (journal, state, result) = await backend.RecoverAsync();
        await using (journal)
        {
            Assert.Equal(JournalHarness.Texts(1, 5), state.Entries);
            Assert.Equal(5, result.LastSequence);
            Assert.Equal(6, await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("after the crash")));
        }
        var (again, recovered, _) = await backend.RecoverAsync();
        await using var _ = again;
        Assert.Equal([.. JournalHarness.Texts(1, 5), "after the crash"], recovered.Entries);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), recovered.Sequences);
    }

    [Fact]
    public async Task A_damaged_record_in_the_middle_stops_recovery_naming_where()
    {
        await using var backend = await NewBackendAsync();
        await backend.WriteAsync(JournalHarness.Texts(1, 10));
        string where = await backend.DamageRecordAsync(5);

        var journal = backend.Open();
        await using var _ = journal;
        var error = await Assert.ThrowsAsync<FsException>(() =>
            journal.RecoverAsync(new JournalTestState().LoadCheckpointAsync, new JournalTestState().Apply, CancellationToken.None));

        Assert.Equal(FsErrorCode.JournalCorrupt, error.Code);
        Assert.Contains(where, error.Message);
    }

    [Fact]
    public async Task Appends_after_dispose_fail_as_unavailable()
    {
        await using var backend = await NewBackendAsync();
        var (journal, _, _) = await backend.RecoverAsync();
        await journal.DisposeAsync();

        var error = await Assert.ThrowsAsync<FsException>(() => journal.Append(1, JournalTestState.Payload("late")));
        Assert.Equal(FsErrorCode.Unavailable, error.Code);
    }
}
