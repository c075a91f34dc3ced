using CsCheck;
using OrleansFs.Grains.Journal;
using OrleansFs.TestSupport;

namespace OrleansFs.Unit.Tests.Journal;

public class TornTailTests
{
    [Fact]
    public async Task A_cut_at_every_byte_inside_the_last_record_is_truncated_and_the_journal_keeps_working()
    {
        using var original = new JournalHarness();
        await original.WriteAsync("one", "two", "three", new string('x', 30));
        string segment = original.LogFiles().Single();
        long fullLength = new FileInfo(segment).Length;
        long lastStart = JournalReader.ReadAll(original.Directory).Last().Offset;

        for (long cut = lastStart; cut < fullLength; cut++)
        {
            using var copy = CopyOf(original);
            string copySegment = copy.LogFiles().Single();
            Truncate(copySegment, cut);

            var (journal, state, result) = await copy.RecoverAsync();
            await using (journal)
            {
                Assert.Equal(["one", "two", "three"], state.Entries);
                Assert.Equal(cut - lastStart, result.TornBytesTruncated);
                Assert.Equal(3, result.LastSequence);
                Assert.Equal(lastStart, new FileInfo(copySegment).Length);
                Assert.Equal(4, await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("after")));
            }

            var (again, recovered, second) = await copy.RecoverAsync();
            await using var _ = again;
            Assert.Equal(["one", "two", "three", "after"], recovered.Entries);
            Assert.Equal(0, second.TornBytesTruncated);
        }
    }

    [Fact]
    public async Task A_torn_tail_in_the_newest_of_several_segments_is_cut_and_the_earlier_ones_are_kept()
    {
        using var harness = new JournalHarness { SegmentBytes = 300 };
        string[] texts = JournalHarness.Texts(1, 30);
        await harness.WriteAsync(texts);
        string[] segments = harness.LogFiles();
        Assert.True(segments.Length > 3);
        Truncate(segments[^1], new FileInfo(segments[^1]).Length - 5);

        var (journal, state, result) = await harness.RecoverAsync();
        await using (journal)
        {
            Assert.Equal(texts[..^1], state.Entries);
            Assert.True(result.TornBytesTruncated > 0);
            Assert.Equal(30, await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("replacement")));
        }
        Assert.Equal(segments, harness.LogFiles().Take(segments.Length));

        var (again, recovered, _) = await harness.RecoverAsync();
        await using var _ = again;
        Assert.Equal([.. texts[..^1], "replacement"], recovered.Entries);
    }

    [Fact]
    public async Task Random_garbage_after_the_last_record_is_a_torn_tail()
    {
        using var original = new JournalHarness();
        await original.WriteAsync("one", "two");
        long validLength = new FileInfo(original.LogFiles().Single()).Length;

        await Gen.Byte.Array[1, 300].SampleAsync(async garbage =>
        {
            using var copy = CopyOf(original);
            await File.AppendAllBytesAsync(copy.LogFiles().Single(), garbage);

            var (journal, state, result) = await copy.RecoverAsync();
            await using var _ = journal;
            Assert.Equal(["one", "two"], state.Entries);
            Assert.Equal(garbage.Length, result.TornBytesTruncated);
            Assert.Equal(validLength, new FileInfo(copy.LogFiles().Single()).Length);
        }, iter: 20, threads: 1);
    }

    [Fact]
    public async Task A_zero_filled_tail_left_by_a_crash_is_a_torn_tail()
    {
        using var harness = new JournalHarness();
        await harness.WriteAsync("one", "two");
        await File.AppendAllBytesAsync(harness.LogFiles().Single(), new byte[4096]);

        var (journal, state, result) = await harness.RecoverAsync();
        await using var _ = journal;
        Assert.Equal(["one", "two"], state.Entries);
        Assert.Equal(4096, result.TornBytesTruncated);
    }

    [Fact]
    public async Task A_tail_cut_inside_the_first_record_leaves_an_empty_journal_that_works()
    {
        using var harness = new JournalHarness();
        await harness.WriteAsync("only");
        Truncate(harness.LogFiles().Single(), 10);

        var (journal, state, result) = await harness.RecoverAsync();
        await using (journal)
        {
            Assert.Empty(state.Entries);
            Assert.Equal(10, result.TornBytesTruncated);
            Assert.Equal(1, await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("again")));
        }
        var (again, recovered, _) = await harness.RecoverAsync();
        await using var _a = again;
        Assert.Equal(["again"], recovered.Entries);
    }

    internal static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
    }

    /// <summary>A copy to damage. It skips fsync: these tests are about parsing, and run many recoveries.</summary>
    private static JournalHarness CopyOf(JournalHarness original)
    {
        var copy = new JournalHarness { Fsync = false };
        foreach (string file in Directory.EnumerateFiles(original.Directory, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy.Directory, Path.GetRelativePath(original.Directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }
}
