using OrleansFs.TestSupport.Files;
using OrleansFs.Errors;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

public class CorruptionTests
{
    [Fact]
    public async Task Damage_in_the_middle_of_the_log_stops_recovery_naming_the_file_and_offset()
    {
        using var harness = new JournalHarness();
        await harness.WriteAsync(JournalHarness.Texts(1, 10));
        JournalDumpEntry fifth = JournalReader.ReadAll(harness.Directory).ElementAt(4);
        long lengthBefore = new FileInfo(fifth.File).Length;
        FileDamage.FlipByte(fifth.File, fifth.Offset + RecordFrame.HeaderSize + 2);

        var journal = harness.Open();
        var error = await Assert.ThrowsAsync<FsException>(() =>
            journal.RecoverAsync(new JournalTestState().LoadCheckpointAsync, new JournalTestState().Apply, CancellationToken.None));

        Assert.Equal(FsErrorCode.JournalCorrupt, error.Code);
        Assert.Contains(fifth.File, error.Message);
        Assert.Contains($"offset {fifth.Offset}", error.Message);
        Assert.Equal(lengthBefore, new FileInfo(fifth.File).Length); // nothing was cut
    }

    [Fact]
    public async Task A_damaged_length_field_mid_log_is_corruption_too()
    {
        using var harness = new JournalHarness();
        await harness.WriteAsync(JournalHarness.Texts(1, 5));
        JournalDumpEntry second = JournalReader.ReadAll(harness.Directory).ElementAt(1);
        FileDamage.FlipByte(second.File, second.Offset + 1);

        var error = await RecoverFailsAsync(harness);
        Assert.Contains($"offset {second.Offset}", error.Message);
    }

    [Fact]
    public async Task Damage_at_the_end_of_an_earlier_segment_is_not_a_torn_tail()
    {
        using var harness = new JournalHarness { SegmentBytes = 300 };
        await harness.WriteAsync(JournalHarness.Texts(1, 40));
        string firstSegment = harness.LogFiles()[0];
        JournalDumpEntry lastOfFirst = JournalReader.ReadAll(harness.Directory).Last(e => e.File == firstSegment);
        TornTailTests.Truncate(firstSegment, lastOfFirst.Offset + 3);

        var error = await RecoverFailsAsync(harness);
        Assert.Contains(firstSegment, error.Message);
        Assert.Contains($"offset {lastOfFirst.Offset}", error.Message);
    }

    [Fact]
    public async Task A_missing_segment_is_a_gap_and_stops_recovery()
    {
        using var harness = new JournalHarness { SegmentBytes = 300 };
        await harness.WriteAsync(JournalHarness.Texts(1, 40));
        string[] segments = harness.LogFiles();
        Assert.True(segments.Length >= 3);
        File.Delete(segments[1]);

        var error = await RecoverFailsAsync(harness);
        Assert.Contains(segments[2], error.Message);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public async Task Damage_with_a_valid_record_after_it_in_the_last_segment_is_not_a_torn_tail()
    {
        using var harness = new JournalHarness();
        await harness.WriteAsync("one", "two", "three");
        JournalDumpEntry second = JournalReader.ReadAll(harness.Directory).ElementAt(1);
        // Zero the second record: the third, valid, follows it.
        using (var stream = new FileStream(second.File, FileMode.Open, FileAccess.Write))
        {
            stream.Position = second.Offset;
            stream.Write(new byte[RecordFrame.HeaderSize + 3]);
        }

        var error = await RecoverFailsAsync(harness);
        Assert.Contains($"offset {second.Offset}", error.Message);
    }

    private static async Task<FsException> RecoverFailsAsync(JournalHarness harness)
    {
        var journal = harness.Open();
        var state = new JournalTestState();
        var error = await Assert.ThrowsAsync<FsException>(() =>
            journal.RecoverAsync(state.LoadCheckpointAsync, state.Apply, CancellationToken.None));
        Assert.Equal(FsErrorCode.JournalCorrupt, error.Code);
        return error;
    }
}
