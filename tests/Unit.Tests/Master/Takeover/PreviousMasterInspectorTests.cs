using System.Net;
using Orleans.Runtime;
using OrleansFs.Grains.Failover.Takeover;
using OrleansFs.Master;

namespace OrleansFs.Tests.Unit.Master.Takeover;

/// <summary>How the new master reads the cause and detection time of a move off the membership row.</summary>
public sealed class PreviousMasterInspectorTests
{
    private static readonly DateTime Start = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly SiloAddress Old = Silo(11111, 100);
    private static readonly SiloAddress Survivor = Silo(11112, 101);
    private static readonly SiloAddress Other = Silo(11113, 102);
    private static readonly TimeSpan Window = PreviousMasterInspector.DetectionWindowFor(2, TimeSpan.FromSeconds(2));

    [Fact]
    public void A_killed_silo_is_detected_from_the_first_vote_even_after_an_earlier_connection_close()
    {
        var time = new FixedTime(new DateTimeOffset(Start.AddSeconds(60)));
        var connections = new PeerConnectionLog(time);
        connections.RecordClosed("127.0.0.1:11111");
        var dead = Row(Old, SiloStatus.Dead, (Survivor, 60.9), (Other, 60.9), (Survivor, 61.0));

        var result = Inspect(connections, dead);

        Assert.Equal(TakeoverCause.SiloFailed, result.Cause);
        Assert.Equal(0.1, result.Detection!.Value.TotalSeconds, precision: 3);
        Assert.Equal("first suspicion vote", result.FirstSign);
    }

    [Fact]
    public void Without_a_connection_drop_detection_starts_at_the_first_vote_by_another_silo()
    {
        var dead = Row(Old, SiloStatus.Dead, (Other, 58.5), (Survivor, 60.0));

        var result = Inspect(new PeerConnectionLog(TimeProvider.System), dead);

        Assert.Equal(TakeoverCause.SiloFailed, result.Cause);
        Assert.Equal(TimeSpan.FromSeconds(1.5), result.Detection);
        Assert.Equal("first suspicion vote", result.FirstSign);
    }

    [Fact]
    public void A_connection_that_closed_long_before_the_declaration_was_not_the_failure()
    {
        var time = new FixedTime(new DateTimeOffset(Start.AddSeconds(20)));
        var connections = new PeerConnectionLog(time);
        connections.RecordClosed("127.0.0.1:11111");
        var dead = Row(Old, SiloStatus.Dead, (Other, 59.5), (Survivor, 60.0));

        var result = Inspect(connections, dead);

        Assert.Equal(TimeSpan.FromSeconds(0.5), result.Detection);
        Assert.Equal("first suspicion vote", result.FirstSign);
    }

    [Fact]
    public void A_vanished_silo_is_detected_from_its_last_heartbeat_with_the_vote_as_second_figure()
    {
        var dead = Row(Old, SiloStatus.Dead, (Other, 59.0), (Survivor, 60.0));
        dead.IAmAliveTime = Start.AddSeconds(55);

        var result = Inspect(new PeerConnectionLog(TimeProvider.System), dead);

        Assert.Equal(TakeoverCause.SiloFailed, result.Cause);
        Assert.Equal(TimeSpan.FromSeconds(5), result.Detection);
        Assert.Equal("its last heartbeat", result.FirstSign);
        Assert.Equal(TimeSpan.FromSeconds(1), result.FromFirstVote);
    }

    [Fact]
    public void A_message_received_after_the_last_heartbeat_is_where_detection_starts()
    {
        var connections = new PeerConnectionLog(TimeProvider.System);
        connections.RecordHeard("127.0.0.1:11111", new DateTimeOffset(Start.AddSeconds(56.5)));
        var dead = Row(Old, SiloStatus.Dead, (Other, 59.0), (Survivor, 60.0));
        dead.IAmAliveTime = Start.AddSeconds(55);

        var result = Inspect(connections, dead);

        Assert.Equal(TimeSpan.FromSeconds(3.5), result.Detection);
        Assert.Equal("last message from it", result.FirstSign);
        Assert.Equal(TimeSpan.FromSeconds(1), result.FromFirstVote);
    }

    [Fact]
    public void Bytes_heard_after_the_first_vote_or_long_before_it_do_not_count()
    {
        var late = new PeerConnectionLog(TimeProvider.System);
        late.RecordHeard("127.0.0.1:11111", new DateTimeOffset(Start.AddSeconds(59.5)));
        var early = new PeerConnectionLog(TimeProvider.System);
        early.RecordHeard("127.0.0.1:11111", new DateTimeOffset(Start.AddSeconds(40)));
        var dead = Row(Old, SiloStatus.Dead, (Other, 59.0), (Survivor, 60.0));

        // Still sending once suspected (a one-way partition), or a quiet spell long before: the vote is the start.
        foreach (var connections in new[] { late, early })
        {
            var result = Inspect(connections, dead);
            Assert.Equal(TimeSpan.FromSeconds(1), result.Detection);
            Assert.Equal("first suspicion vote", result.FirstSign);
        }
    }

    [Fact]
    public void The_last_bytes_read_through_a_tracked_connection_are_remembered_after_it_closes()
    {
        var time = new FixedTime(new DateTimeOffset(Start.AddSeconds(30)));
        var connections = new PeerConnectionLog(time);
        string? endpoint = null;
        var activity = connections.Opened(() => endpoint);
        var pipe = new System.IO.Pipelines.Pipe();
        var reader = new HeardPipeReader(pipe.Reader, activity);

        Assert.Null(connections.LastHeardFrom("127.0.0.1:11111"));
        pipe.Writer.WriteAsync(new byte[] { 1, 2, 3 }).AsTask().Wait();
        var read = reader.ReadAsync().AsTask().Result;
        reader.AdvanceTo(read.Buffer.End);
        // The handshake names the peer only later; the bytes already count for it.
        endpoint = "127.0.0.1:11111";
        var heard = connections.LastHeardFrom("127.0.0.1:11111");
        connections.Closed(activity);

        Assert.NotNull(heard);
        Assert.InRange(heard.Value, time.GetUtcNow().AddSeconds(-1), time.GetUtcNow());
        // Wall-clock time is worked out when asked (now minus the monotonic time since), so allow the clock's tick.
        Assert.InRange(connections.LastHeardFrom("127.0.0.1:11111")!.Value, heard.Value.AddMilliseconds(-50), heard.Value.AddMilliseconds(50));
        Assert.Null(connections.LastHeardFrom("127.0.0.1:11112"));
    }

    [Fact]
    public void A_process_seen_exiting_is_where_detection_starts_not_the_last_message_before_it()
    {
        // Declared dead by one silo's kill 40 ms after its process went; the last probe answer came 0.9 s before that.
        var connections = new PeerConnectionLog(TimeProvider.System);
        connections.RecordHeard("127.0.0.1:11111", new DateTimeOffset(Start.AddSeconds(59.06)));
        connections.RecordProcessExit("127.0.0.1:11111", new DateTimeOffset(Start.AddSeconds(59.96)));
        var dead = Row(Old, SiloStatus.Dead, (Survivor, 60.0));

        var result = Inspect(connections, dead);

        Assert.Equal(TakeoverCause.SiloFailed, result.Cause);
        Assert.Equal(0.04, result.Detection!.Value.TotalSeconds, precision: 3);
        Assert.Equal(PreviousMasterInspector.ProcessExit, result.FirstSign);
        Assert.Equal(TimeSpan.Zero, result.FromFirstVote);
    }

    [Fact]
    public void A_process_exit_seen_after_the_declaration_or_long_before_it_does_not_count()
    {
        foreach (double exitSeconds in new[] { 60.5, 40.0 })
        {
            var connections = new PeerConnectionLog(TimeProvider.System);
            connections.RecordProcessExit("127.0.0.1:11111", new DateTimeOffset(Start.AddSeconds(exitSeconds)));
            var result = Inspect(connections, Row(Old, SiloStatus.Dead, (Other, 59.0), (Survivor, 60.0)));
            Assert.Equal("first suspicion vote", result.FirstSign);
        }
    }

    [Theory]
    [InlineData(SiloStatus.ShuttingDown)]
    [InlineData(SiloStatus.Stopping)]
    public void A_silo_that_is_shutting_down_moved_the_master_gracefully(SiloStatus status)
    {
        var result = Inspect(new PeerConnectionLog(TimeProvider.System), Row(Old, status));

        Assert.Equal(TakeoverCause.GracefulMove, result.Cause);
        Assert.Equal(TimeSpan.Zero, result.Detection);
    }

    [Fact]
    public void A_silo_that_declared_itself_dead_stopped_gracefully()
    {
        var result = Inspect(new PeerConnectionLog(TimeProvider.System), Row(Old, SiloStatus.Dead, (Old, 61.0)));

        Assert.Equal(TakeoverCause.GracefulMove, result.Cause);
        Assert.Equal(TimeSpan.Zero, result.Detection);
    }

    [Fact]
    public void The_incarnation_that_hosted_the_previous_master_is_judged_not_a_later_restart()
    {
        var restarted = Row(Silo(11111, 200), SiloStatus.Active, startSeconds: 120);
        var dead = Row(Old, SiloStatus.Dead, (Other, 59.0), (Survivor, 60.0));

        var result = Inspect(new PeerConnectionLog(TimeProvider.System), restarted, dead);

        Assert.Equal(TakeoverCause.SiloFailed, result.Cause);
        Assert.Equal(TimeSpan.FromSeconds(1), result.Detection);
    }

    [Fact]
    public void An_old_master_whose_silo_is_still_active_stopped_on_its_own_and_a_missing_row_is_not_known()
    {
        Assert.Equal(TakeoverCause.MasterStopped, Inspect(new PeerConnectionLog(TimeProvider.System), Row(Old, SiloStatus.Active)).Cause);
        var missing = Inspect(new PeerConnectionLog(TimeProvider.System), Row(Other, SiloStatus.Active));
        Assert.Equal(TakeoverCause.Unknown, missing.Cause);
        Assert.Null(missing.Detection);
    }

    [Fact]
    public void No_previous_master_is_a_first_start()
    {
        var inspector = new PreviousMasterInspector(null, null, Window);
        Assert.Equal(TakeoverCause.FirstStart, inspector.Inspect([], null).Cause);
    }

    private static TakeoverDetection Inspect(PeerConnectionLog connections, params MembershipEntry[] rows)
    {
        var previous = new MasterTakeover { Epoch = 1, SiloAddress = "127.0.0.1:11111", StartedAt = new DateTimeOffset(Start.AddSeconds(5)) };
        return new PreviousMasterInspector(null, connections, Window).Inspect(rows, previous);
    }

    private static MembershipEntry Row(SiloAddress silo, SiloStatus status, params (SiloAddress Voter, double Seconds)[] votes) =>
        Row(silo, status, 0, votes);

    private static MembershipEntry Row(SiloAddress silo, SiloStatus status, double startSeconds, params (SiloAddress Voter, double Seconds)[] votes) => new()
    {
        SiloAddress = silo,
        Status = status,
        StartTime = Start.AddSeconds(startSeconds),
        IAmAliveTime = Start.AddSeconds(startSeconds),
        SuspectTimes = votes.Select(v => Tuple.Create(v.Voter, Start.AddSeconds(v.Seconds))).ToList(),
        HostName = "localhost",
        SiloName = silo.ToString(),
    };

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static SiloAddress Silo(int port, int generation) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), generation);
}
