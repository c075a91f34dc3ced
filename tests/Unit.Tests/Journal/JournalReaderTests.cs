using OrleansFs.Errors;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

public class JournalReaderTests
{
    [Fact]
    public async Task Dump_lists_every_record_with_file_offset_sequence_epoch_and_type()
    {
        using var harness = new JournalHarness();
        await harness.WriteAsync("alpha", "beta");
        await harness.WriteAsync("gamma");

        var entries = JournalReader.ReadAll(harness.Directory).ToList();

        Assert.Equal([1L, 2L, 3L], entries.Select(e => e.Record.Sequence));
        Assert.Equal([1L, 1L, 2L], entries.Select(e => e.Record.Epoch));
        Assert.All(entries, e => Assert.Equal(JournalTestState.RecordType, e.Record.Type));
        Assert.Equal(["alpha", "beta", "gamma"], entries.Select(e => System.Text.Encoding.UTF8.GetString(e.Record.Payload.Span)));
        Assert.Equal(0, entries[0].Offset);
        Assert.Equal(RecordFrame.FrameSize(5), entries[1].Offset);
        Assert.Equal(0, entries[2].Offset);
        Assert.NotEqual(entries[0].File, entries[2].File);
    }

    [Fact]
    public async Task Dump_reports_a_torn_tail_without_cutting_it_or_taking_an_epoch()
    {
        using var harness = new JournalHarness();
        await harness.WriteAsync("alpha");
        string segment = harness.LogFiles().Single();
        await File.AppendAllBytesAsync(segment, [1, 2, 3]);
        long length = new FileInfo(segment).Length;
        int epochsBefore = Directory.GetFiles(Path.Combine(harness.Directory, "epochs")).Length;

        var entries = JournalReader.ReadAll(harness.Directory).ToList();

        Assert.Equal(2, entries.Count);
        Assert.True(entries[1].IsTornTail);
        Assert.Equal(3, entries[1].TornBytes);
        Assert.Equal(length - 3, entries[1].Offset);
        Assert.Equal(length, new FileInfo(segment).Length);
        Assert.Equal(epochsBefore, Directory.GetFiles(Path.Combine(harness.Directory, "epochs")).Length);
    }

    [Fact]
    public async Task Dump_shows_epoch_seals_and_checkpoints()
    {
        using var harness = new JournalHarness();
        var (journal, _, _) = await harness.RecoverAsync();
        await using (journal)
        {
            await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("a"));
            await journal.WriteCheckpointAsync(1, JournalTestState.Snapshot(["a"]), CancellationToken.None);
        }
        await harness.WriteAsync();

        Assert.Equal([new EpochInfo(1, 0), new EpochInfo(2, 1)], JournalReader.ReadEpochs(harness.Directory));
        var checkpoint = JournalReader.ReadCheckpoints(harness.Directory).Single();
        Assert.Equal(1, checkpoint.Sequence);
        Assert.Null(checkpoint.Problem);
    }

    [Fact]
    public void Dump_of_a_directory_that_is_not_a_journal_says_so()
    {
        using var temp = new OrleansFs.TestSupport.TempDirectory();
        var error = Assert.Throws<FsException>(() => JournalReader.ReadAll(temp.Path).ToList());
        Assert.Equal(FsErrorCode.InvalidArgument, error.Code);
        Assert.Contains("not a journal directory", error.Message);
    }

    [Fact]
    public void Dump_of_a_missing_directory_is_a_clear_error()
    {
        var error = Assert.Throws<FsException>(() => JournalReader.ReadAll("/nonexistent/ofs-journal").ToList());
        Assert.Equal(FsErrorCode.NotFound, error.Code);
        Assert.Contains("/nonexistent/ofs-journal", error.Message);
    }
}
