using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>
/// The warm standby's follower (<see cref="JournalTailer"/>) on a real journal directory, and recovery that
/// continues from the state it built (<see cref="JournalResume"/>).
/// </summary>
public class JournalTailerTests
{
    [Fact]
    public async Task It_applies_every_record_once_in_order_across_polls_and_segment_rolls()
    {
        using var harness = new JournalHarness { SegmentBytes = 256 };
        var (journal, _, _) = await harness.RecoverAsync();
        await using var _j = journal;
        var (tailer, followed) = await FollowAsync(harness, poll: false);

        await AppendAsync(journal, JournalHarness.Texts(1, 10));
        Assert.Equal(10, await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));
        Assert.Equal(0, await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));
        await AppendAsync(journal, JournalHarness.Texts(11, 30));
        Assert.True(harness.LogFiles().Length > 3, "the small segment size should have rolled several segments");
        Assert.Equal(30, await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));

        Assert.Equal(JournalHarness.Texts(1, 40), followed.Entries);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), followed.Sequences);
        Assert.Equal(40, tailer.LastSequence);
    }

    [Fact]
    public async Task A_frame_still_being_written_is_applied_only_once_it_is_whole()
    {
        using var harness = new JournalHarness();
        await harness.WriteAsync("first");
        string segment = harness.LogFiles().Single();
        var (tailer, followed) = await FollowAsync(harness, poll: false);

        byte[] frame = Frame(sequence: 2, epoch: 1, "second");
        await AppendBytesAsync(segment, frame.AsMemory(0, frame.Length - 3));
        Assert.Equal(1, await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));
        await AppendBytesAsync(segment, frame.AsMemory(frame.Length - 3));
        Assert.Equal(1, await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));

        Assert.Equal(["first", "second"], followed.Entries);
    }

    [Fact]
    public async Task A_record_a_fenced_master_wrote_past_the_new_seal_makes_the_follower_start_over()
    {
        using var harness = new JournalHarness();
        await harness.WriteAsync("acknowledged");
        string olderSegment = harness.LogFiles().Single();
        var (tailer, followed) = await FollowAsync(harness, poll: true);

        var (newer, _, _) = await harness.RecoverAsync(); // seals epoch 1 at sequence 1
        await using var _n = newer;
        // The stale master's record lands after the seal but before the newer master writes anything.
        JournalHarness.AppendFrame(olderSegment, sequence: 2, epoch: 1, JournalTestState.Payload("stale"));
        Assert.Equal(1, await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));
        Assert.Equal(["acknowledged", "stale"], followed.Entries);

        await newer.Append(JournalTestState.RecordType, JournalTestState.Payload("from newer"));
        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => tailer.PollAsync(followed.Apply, 1000, CancellationToken.None));
        Assert.Contains("epoch 1", refused.Message);
    }

    [Fact]
    public async Task Recovery_refuses_a_followed_state_that_holds_a_record_past_a_seal_and_rebuilds_from_the_checkpoint()
    {
        using var harness = new JournalHarness();
        await harness.WriteAsync("acknowledged");
        string olderSegment = harness.LogFiles().Single();
        var (tailer, followed) = await FollowAsync(harness, poll: true);
        var (newer, _, _) = await harness.RecoverAsync();
        await using (newer)
        {
            JournalHarness.AppendFrame(olderSegment, sequence: 2, epoch: 1, JournalTestState.Payload("stale"));
            await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None);
            Assert.Equal(["acknowledged", "stale"], followed.Entries);
            await newer.Append(JournalTestState.RecordType, JournalTestState.Payload("from newer"));
        }

        var journal = harness.Open();
        await using (journal)
        {
            var result = await journal.RecoverAsync(followed.LoadCheckpointAsync, followed.Apply, CancellationToken.None,
                new JournalResume(tailer.LastSequence, tailer.LastSequenceByEpoch, () =>
                {
                    followed.Entries.Clear();
                    followed.Sequences.Clear();
                }));
            Assert.Null(result.ResumedFrom);
        }
        Assert.Equal(["acknowledged", "from newer"], followed.Entries);
    }

    /// <summary>A follower of the harness's journal, started (and, with <paramref name="poll"/>, caught up once).</summary>
    private static async Task<(JournalTailer Tailer, JournalTestState Followed)> FollowAsync(JournalHarness harness, bool poll)
    {
        var tailer = harness.Tailer();
        var followed = new JournalTestState();
        await tailer.StartAsync(followed.LoadCheckpointAsync, CancellationToken.None);
        if (poll) await tailer.PollAsync(followed.Apply, 1000, CancellationToken.None);
        return (tailer, followed);
    }

    private static async Task AppendAsync(DirectoryJournal journal, IEnumerable<string> texts)
    {
        foreach (string text in texts) await journal.Append(JournalTestState.RecordType, JournalTestState.Payload(text));
    }

    private static byte[] Frame(long sequence, long epoch, string text)
    {
        var payload = JournalTestState.Payload(text);
        var frame = new byte[RecordFrame.FrameSize(payload.Length)];
        RecordFrame.Write(frame, sequence, epoch, JournalTestState.RecordType, payload.Span);
        return frame;
    }

    private static async Task AppendBytesAsync(string segment, ReadOnlyMemory<byte> bytes)
    {
        await using var file = new FileStream(segment, FileMode.Append, FileAccess.Write);
        await file.WriteAsync(bytes);
    }
}
