using OrleansFs.Errors;
using OrleansFs.Grains.Journal;
using OrleansFs.TestSupport.Files;

namespace OrleansFs.Unit.Tests.Journal;

public class DirectoryJournalTests
{
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
    public async Task A_checkpoint_with_a_damaged_header_is_skipped_too()
    {
        using var harness = new JournalHarness();
        var (journal, _, _) = await harness.RecoverAsync();
        await using (journal)
        {
            await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("record-1"));
            await journal.WriteCheckpointAsync(1, JournalTestState.Snapshot(["record-1"]), CancellationToken.None);
        }
        FileDamage.FlipByte(harness.CheckpointFiles().Single(), 20);

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
        FileDamage.FlipByte(harness.CheckpointFiles().Last(), CheckpointFile.HeaderSize + 1);
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


    private static long TemporaryCheckpointBytes(string journalDirectory) =>
        System.IO.Directory.EnumerateFiles(Path.Combine(journalDirectory, "checkpoints", ".tmp"))
            .Sum(f => new FileInfo(f).Length);
}
