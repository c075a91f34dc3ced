using OrleansFs.Errors;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

public class DirectoryJournalTests
{
    [Fact]
    public async Task Recovery_gives_back_every_acknowledged_record_in_order()
    {
        using var harness = new JournalHarness();
        string[] texts = JournalHarness.Texts(1, 50);
        await harness.WriteAsync(texts);

        var (journal, state, result) = await harness.RecoverAsync();
        await using var _ = journal;

        Assert.Equal(texts, state.Entries);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), state.Sequences);
        Assert.Equal(50, result.LastSequence);
        Assert.Equal(50, result.RecordsReplayed);
        Assert.Equal(0, result.TornBytesTruncated);
    }

    [Fact]
    public async Task A_fresh_directory_recovers_empty_and_sequences_start_at_one()
    {
        using var harness = new JournalHarness();
        var (journal, state, result) = await harness.RecoverAsync();
        await using var _ = journal;

        Assert.Empty(state.Entries);
        Assert.Equal(0, result.LastSequence);
        Assert.Equal(1, await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("first")));
        Assert.Equal(2, await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("second")));
    }

    [Fact]
    public async Task Each_recovery_takes_a_higher_epoch_and_records_carry_it()
    {
        using var harness = new JournalHarness();
        await harness.WriteAsync("a");
        await harness.WriteAsync("b");

        var (journal, _, result) = await harness.RecoverAsync();
        await using var _j = journal;
        var records = JournalReader.ReadAll(harness.Directory).Select(e => e.Record.Epoch).ToList();

        Assert.Equal(3, result.Epoch);
        Assert.Equal([1L, 2L], records);
    }

    [Fact]
    public async Task Many_concurrent_appends_share_far_fewer_flushes_and_all_are_acknowledged_and_recovered()
    {
        using var harness = new JournalHarness();
        const int count = 2_000;
        var (journal, _, _) = await harness.RecoverAsync();
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

        var (again, state, _) = await harness.RecoverAsync();
        await using var _a = again;
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"r{i}"), state.Entries);
    }

    [Fact]
    public async Task Appends_from_many_threads_are_numbered_densely_and_journal_order_is_assignment_order()
    {
        using var harness = new JournalHarness();
        var (journal, _, _) = await harness.RecoverAsync();
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

        var (again, state, _) = await harness.RecoverAsync();
        await using var _a = again;
        Assert.Equal(Enumerable.Range(1, 800).Select(i => (long)i), state.Sequences);
        Assert.Equal(state.Sequences.Select(s => assigned[s]), state.Entries);
    }

    [Fact]
    public async Task Records_span_rotated_segments_and_recover_in_order()
    {
        using var harness = new JournalHarness { SegmentBytes = 500 };
        string[] texts = JournalHarness.Texts(1, 100);
        await harness.WriteAsync(texts);

        Assert.True(harness.LogFiles().Length > 5, $"expected rotation, got {harness.LogFiles().Length} segments");
        var (journal, state, _) = await harness.RecoverAsync();
        await using var _ = journal;
        Assert.Equal(texts, state.Entries);
    }

    [Fact]
    public async Task A_checkpoint_plus_later_records_recover_to_the_same_state()
    {
        using var harness = new JournalHarness();
        var (journal, state, _) = await harness.RecoverAsync();
        await using (journal)
        {
            foreach (string text in JournalHarness.Texts(1, 30))
                await journal.Append(JournalTestState.RecordType, JournalTestState.Payload(text));
            await journal.WriteCheckpointAsync(30, JournalTestState.Snapshot(JournalHarness.Texts(1, 30)), CancellationToken.None);
            foreach (string text in JournalHarness.Texts(31, 10))
                await journal.Append(JournalTestState.RecordType, JournalTestState.Payload(text));
            Assert.Equal(30, journal.Stats.LastCheckpointSequence);
            Assert.Equal(10, journal.Stats.RecordsSinceCheckpoint);
        }

        var (again, recovered, result) = await harness.RecoverAsync();
        await using var _ = again;
        Assert.Equal(JournalHarness.Texts(1, 40), recovered.Entries);
        Assert.Equal(1, recovered.CheckpointsLoaded);
        Assert.Equal(30, result.CheckpointSequence);
        Assert.Equal(10, result.RecordsReplayed);
        Assert.Equal(40, result.LastSequence);
    }

    [Fact]
    public async Task A_checkpoint_streams_without_the_journal_buffering_it()
    {
        using var harness = new JournalHarness();
        var (journal, _, _) = await harness.RecoverAsync();
        await using (journal)
        {
            await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("x"));
            // 64 MiB written in 64 KiB pieces. Halfway through, most of what was written must already be in the
            // file under .tmp: a journal that buffered the snapshot would still hold it in memory. (Counting
            // allocations instead was flaky: await continuations share threads with other tests.)
            byte[] piece = new byte[64 * 1024];
            long onDiskHalfway = -1;
            await journal.WriteCheckpointAsync(1, async (stream, ct) =>
            {
                for (int i = 0; i < 1024; i++)
                {
                    if (i == 512) onDiskHalfway = TemporaryCheckpointBytes(harness.Directory);
                    await stream.WriteAsync(piece, ct);
                }
            }, CancellationToken.None);
            Assert.True(onDiskHalfway >= 16 * 1024 * 1024, $"only {onDiskHalfway} of 32 MiB written had reached the file");
        }
        Assert.Equal(CheckpointFile.HeaderSize + 64L * 1024 * 1024, new FileInfo(harness.CheckpointFiles().Single()).Length);
    }

    [Fact]
    public async Task A_damaged_newest_checkpoint_falls_back_to_the_previous_one()
    {
        using var harness = new JournalHarness();
        var (journal, _, _) = await harness.RecoverAsync();
        await using (journal)
        {
            for (int i = 1; i <= 20; i++)
            {
                await journal.Append(JournalTestState.RecordType, JournalTestState.Payload($"record-{i}"));
                if (i is 10 or 20)
                    await journal.WriteCheckpointAsync(i, JournalTestState.Snapshot(JournalHarness.Texts(1, i)), CancellationToken.None);
            }
        }
        string newest = harness.CheckpointFiles().Last();
        Assert.EndsWith("00000000000000020.ckpt", newest);
        FlipByte(newest, CheckpointFile.HeaderSize + 5);

        var (again, state, result) = await harness.RecoverAsync();
        await using var _ = again;
        Assert.Equal(10, result.CheckpointSequence);
        Assert.Equal(JournalHarness.Texts(1, 20), state.Entries);
    }

    [Fact]
    public async Task A_checkpoint_with_a_damaged_header_is_skipped_too()
    {
        using var harness = new JournalHarness();
        var (journal, _, _) = await harness.RecoverAsync();
        await using (journal)
        {
            await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("record-1"));
            await journal.WriteCheckpointAsync(1, JournalTestState.Snapshot(["record-1"]), CancellationToken.None);
        }
        FlipByte(harness.CheckpointFiles().Single(), 20);

        var (again, state, result) = await harness.RecoverAsync();
        await using var _ = again;
        Assert.Equal(0, result.CheckpointSequence);
        Assert.Equal(0, state.CheckpointsLoaded);
        Assert.Equal(["record-1"], state.Entries);
    }

    [Fact]
    public async Task Checkpoints_delete_logs_wholly_covered_by_the_previous_checkpoint_and_keep_one_back()
    {
        using var harness = new JournalHarness { SegmentBytes = 400 };
        var (journal, _, _) = await harness.RecoverAsync();
        await using (journal)
        {
            for (int i = 1; i <= 90; i++)
            {
                await journal.Append(JournalTestState.RecordType, JournalTestState.Payload($"record-{i}"));
                if (i % 30 == 0)
                    await journal.WriteCheckpointAsync(i, JournalTestState.Snapshot(JournalHarness.Texts(1, i)), CancellationToken.None);
            }
        }

        Assert.Equal(["00000000000000060.ckpt", "00000000000000090.ckpt"], harness.CheckpointFiles().Select(Path.GetFileName));
        // Every remaining segment holds something after checkpoint 60 (the one kept back).
        var firsts = harness.LogFiles().Select(f => long.Parse(Path.GetFileNameWithoutExtension(f).Split('-')[1])).ToList();
        Assert.True(firsts.Count >= 2);
        Assert.True(firsts[0] <= 61, $"the first kept segment starts at {firsts[0]}, after 61");
        Assert.True(firsts[1] > 61, $"segment starting at {firsts[0]} should have been deleted");
        Assert.Empty(Directory.GetFiles(Path.Combine(harness.Directory, "checkpoints", ".tmp")));

        // Even with the newest checkpoint damaged, what is left recovers everything.
        FlipByte(harness.CheckpointFiles().Last(), CheckpointFile.HeaderSize + 1);
        var (again, state, result) = await harness.RecoverAsync();
        await using var _ = again;
        Assert.Equal(60, result.CheckpointSequence);
        Assert.Equal(JournalHarness.Texts(1, 90), state.Entries);
    }

    [Fact]
    public async Task A_checkpoint_whose_writer_fails_leaves_no_file_and_the_previous_one_stands()
    {
        using var harness = new JournalHarness();
        var (journal, _, _) = await harness.RecoverAsync();
        await using (journal)
        {
            await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("record-1"));
            await journal.WriteCheckpointAsync(1, JournalTestState.Snapshot(["record-1"]), CancellationToken.None);
            await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("record-2"));
            await Assert.ThrowsAsync<InvalidOperationException>(() => journal.WriteCheckpointAsync(2, async (stream, ct) =>
            {
                await stream.WriteAsync(new byte[1000], ct);
                throw new InvalidOperationException("snapshot failed half way");
            }, CancellationToken.None));
            Assert.Equal(1, journal.Stats.LastCheckpointSequence);
        }

        Assert.Equal(["00000000000000001.ckpt"], harness.CheckpointFiles().Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(Path.Combine(harness.Directory, "checkpoints", ".tmp")));
        var (again, state, result) = await harness.RecoverAsync();
        await using var _ = again;
        Assert.Equal(1, result.CheckpointSequence);
        Assert.Equal(["record-1", "record-2"], state.Entries);
    }

    [Fact]
    public async Task A_checkpoint_beyond_the_last_sequence_is_refused()
    {
        using var harness = new JournalHarness();
        var (journal, _, _) = await harness.RecoverAsync();
        await using var _ = journal;
        await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("a"));

        var error = await Assert.ThrowsAsync<FsException>(() =>
            journal.WriteCheckpointAsync(5, JournalTestState.Snapshot([]), CancellationToken.None));
        Assert.Equal(FsErrorCode.InvalidArgument, error.Code);
        Assert.Empty(harness.CheckpointFiles());
    }

    [Fact]
    public async Task Stats_count_flushes_and_bytes_since_the_checkpoint()
    {
        using var harness = new JournalHarness();
        var (journal, _, _) = await harness.RecoverAsync();
        await using var _ = journal;
        await journal.Append(JournalTestState.RecordType, new byte[100]);
        await journal.Append(JournalTestState.RecordType, new byte[100]);

        JournalStats stats = journal.Stats;
        Assert.Equal(2, stats.LastSequence);
        Assert.Equal(2, stats.RecordsSinceCheckpoint);
        Assert.Equal(2 * (RecordFrame.HeaderSize + 100), stats.BytesSinceCheckpoint);
        Assert.Equal(2, stats.Flushes);
        Assert.Equal("Directory", stats.Kind);
        Assert.Equal(Path.GetFullPath(harness.Directory), stats.Location);
    }

    [Fact]
    public async Task Appends_after_dispose_fail_as_unavailable()
    {
        using var harness = new JournalHarness();
        var (journal, _, _) = await harness.RecoverAsync();
        await journal.DisposeAsync();

        var error = await Assert.ThrowsAsync<FsException>(() => journal.Append(1, JournalTestState.Payload("late")));
        Assert.Equal(FsErrorCode.Unavailable, error.Code);
    }

    internal static void FlipByte(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        int value = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(value ^ 0x5A));
    }

    private static long TemporaryCheckpointBytes(string journalDirectory) =>
        System.IO.Directory.EnumerateFiles(Path.Combine(journalDirectory, "checkpoints", ".tmp"))
            .Sum(f => new FileInfo(f).Length);
}
