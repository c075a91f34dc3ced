using OrleansFs.Errors;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

public class FencingTests
{
    [Fact]
    public async Task Records_the_older_master_wrote_after_the_seal_are_ignored()
    {
        using var harness = new JournalHarness();
        var (older, _, _) = await harness.RecoverAsync();
        await using var _o = older;
        await older.Append(JournalTestState.RecordType, JournalTestState.Payload("acknowledged"));
        string olderSegment = harness.LogFiles().Single();
        long sealedLength = new FileInfo(olderSegment).Length;

        var (newer, _, _) = await harness.RecoverAsync();
        await using (newer)
        {
            // The stale master's append is refused, not acknowledged; it checks the epoch before writing too.
            await Assert.ThrowsAsync<FsException>(() => older.Append(JournalTestState.RecordType, JournalTestState.Payload("stale")));
            // A stale writer that raced past that check could still land a well-formed record after the seal:
            // put one there by hand, so replay has to ignore it.
            JournalHarness.AppendFrame(olderSegment, sequence: 2, epoch: 1, JournalTestState.Payload("stale"));
            Assert.True(new FileInfo(olderSegment).Length > sealedLength, "the stale record should be on disk");
            Assert.Equal(2, await newer.Append(JournalTestState.RecordType, JournalTestState.Payload("from newer")));
        }

        var (third, state, _) = await harness.RecoverAsync();
        await using var _t = third;
        Assert.Equal(["acknowledged", "from newer"], state.Entries);
        Assert.Equal([1L, 2L], state.Sequences);
        Assert.Equal(["acknowledged", "from newer"],
            JournalReader.ReadAll(harness.Directory).Select(e => System.Text.Encoding.UTF8.GetString(e.Record.Payload.Span)));
    }

    [Fact]
    public async Task A_fenced_master_cannot_write_a_checkpoint()
    {
        using var harness = new JournalHarness();
        var (older, _, _) = await harness.RecoverAsync();
        await using var _o = older;
        await older.Append(JournalTestState.RecordType, JournalTestState.Payload("a"));
        var (newer, _, _) = await harness.RecoverAsync();
        await using var _n = newer;

        var error = await Assert.ThrowsAsync<FsException>(() =>
            older.WriteCheckpointAsync(1, JournalTestState.Snapshot(["a"]), CancellationToken.None));
        Assert.Equal(FsErrorCode.Fenced, error.Code);
        Assert.Empty(harness.CheckpointFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(harness.Directory, "checkpoints", ".tmp")));
    }

}
