using Orleans.Runtime;
using OrleansFs.Grains.Master;
using OrleansFs.Master;

namespace OrleansFs.Grains.Failover.Takeover;

/// <summary>
/// Reads the previous master's silo's row in the Orleans membership table to tell why the master moved and
/// how long the failure took to detect. The row of a silo declared dead holds the suspicion votes with their
/// times; the declaring silo adds the last vote as it writes Dead, and a silo that stops gracefully writes
/// Dead with only its own vote. Detection runs from the moment this silo saw the silo's process exit (when it did), else
/// from the last time the cluster heard from the silo (its heartbeat row, or the last bytes this silo received from
/// it), to that declaration; the first vote by another silo gives
/// the second figure, and the start when nothing was heard within a detection window.
/// </summary>
/// <param name="detectionWindow">
/// The longest probing can take to declare a crashed silo dead. A connection that closed longer than this before
/// the declaration was not the crash (the probes would have found it sooner): a restart, a blip, the joining dance.
/// </param>
public sealed class PreviousMasterInspector(IMembershipTable? membership, PeerConnectionLog? connections, TimeSpan detectionWindow)
{
    /// <summary>The detection start when this silo saw the old silo's process go.</summary>
    public const string ProcessExit = "its process exit";

    /// <summary>Missed direct probes, then one indirect probe at twice the timeout, each at most the largest probe timeout.</summary>
    public static TimeSpan DetectionWindowFor(int numMissedProbesLimit, TimeSpan maxProbeTimeout) =>
        (numMissedProbesLimit + 2) * maxProbeTimeout;

    /// <summary>Reads the table; started alongside journal recovery so it adds no time to the takeover.</summary>
    public async Task<IReadOnlyList<MembershipEntry>?> ReadMembershipAsync(CancellationToken cancellationToken)
    {
        if (membership is null) return null;
        var table = await membership.ReadAllAsync(cancellationToken);
        return table.Members.Select(m => m.Item1).ToList();
    }

    public TakeoverDetection Inspect(IReadOnlyList<MembershipEntry>? members, MasterTakeover? previous)
    {
        if (previous is null) return TakeoverDetection.FirstStart;
        if (members is null) return TakeoverDetection.NotKnown("no membership table");
        var entry = FindIncarnation(members, previous);
        if (entry is null) return TakeoverDetection.NotKnown($"{previous.SiloAddress} is not in the membership table");
        return entry.Status switch
        {
            SiloStatus.Dead => FromDeathDeclaration(entry, previous.SiloAddress),
            SiloStatus.ShuttingDown or SiloStatus.Stopping => Graceful(null),
            _ => new TakeoverDetection(TakeoverCause.MasterStopped, null, null, $"its silo is still {entry.Status}"),
        };
    }

    /// <summary>The incarnation (generation) of that endpoint that hosted the previous master: the newest one started before it took over.</summary>
    private static MembershipEntry? FindIncarnation(IReadOnlyList<MembershipEntry> members, MasterTakeover previous) =>
        members
            .Where(m => Endpoint(m.SiloAddress) == previous.SiloAddress && Utc(m.StartTime) <= previous.StartedAt)
            .MaxBy(m => m.SiloAddress.Generation);

    private TakeoverDetection FromDeathDeclaration(MembershipEntry entry, string endpoint)
    {
        var votes = entry.SuspectTimes ?? [];
        if (votes.Count == 0) return TakeoverDetection.NotKnown("dead without a recorded vote");
        var declaration = votes.MaxBy(v => v.Item2)!;
        var declaredAt = Utc(declaration.Item2);
        // A silo that stops gracefully declares itself dead.
        if (declaration.Item1.Equals(entry.SiloAddress)) return Graceful(declaredAt);

        var started = Utc(entry.StartTime);
        var since = Max(started, declaredAt - detectionWindow);
        var recentVotes = votes.Where(v => !v.Item1.Equals(entry.SiloAddress) && Utc(v.Item2) >= since).Select(v => Utc(v.Item2)).ToList();
        DateTimeOffset? firstVote = recentVotes.Count > 0 ? recentVotes.Min() : null;
        var fromVote = declaredAt - firstVote;
        // A process seen gone by this silo's watch (ProcessDeathWatch): the failure began then, give or take the
        // network's latency, which is closer than the last message (up to a probe period before the death).
        if (connections?.ProcessExitBetween(endpoint, since, declaredAt) is { } exited)
            return new TakeoverDetection(TakeoverCause.SiloFailed, declaredAt - exited, declaredAt, ProcessExit, fromVote);
        if (LastHeard(entry, endpoint, started, firstVote ?? declaredAt) is { } heard)
            return new TakeoverDetection(TakeoverCause.SiloFailed, declaredAt - heard.At, declaredAt, heard.What, fromVote);
        // Only the votes: a connection close cannot tell a crash from an ordinary close earlier on, and taking
        // such a close made detection start before the kill (seen in CI). The close is the last fallback.
        if (firstVote is { } first)
            return new TakeoverDetection(TakeoverCause.SiloFailed, declaredAt - first, declaredAt, "first suspicion vote", fromVote);
        var connectionLost = connections?.LastClosedBetween(endpoint, since, declaredAt);
        return connectionLost is { } lost
            ? new TakeoverDetection(TakeoverCause.SiloFailed, declaredAt - lost, declaredAt, "connection lost")
            : TakeoverDetection.NotKnown("no recent vote by another silo");
    }

    /// <summary>
    /// The last sign of life before the failure: the later of its heartbeat in the table and the last bytes this silo
    /// received from it, counted only before <paramref name="suspected"/> (the first vote, else the declaration) and
    /// within a detection window of it. Anything older is a quiet spell, not the failure; anything later was heard
    /// while it was already suspected (it could still send but no longer answer).
    /// </summary>
    private (DateTimeOffset At, string What)? LastHeard(MembershipEntry entry, string endpoint, DateTimeOffset started, DateTimeOffset suspected)
    {
        var from = Max(started, suspected - detectionWindow);
        bool Plausible(DateTimeOffset at) => at >= from && at <= suspected;
        (DateTimeOffset At, string What)? last = null;
        var heartbeat = Utc(entry.IAmAliveTime);
        if (Plausible(heartbeat)) last = (heartbeat, "its last heartbeat");
        if (connections?.LastHeardFrom(endpoint) is { } heard && Plausible(heard) && (last is null || heard > last.Value.At))
            last = (heard, "last message from it");
        return last;
    }

    private static TakeoverDetection Graceful(DateTimeOffset? declaredAt) =>
        new(TakeoverCause.GracefulMove, TimeSpan.Zero, declaredAt, "graceful shutdown");

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string Endpoint(SiloAddress silo) => $"{silo.Endpoint.Address}:{silo.Endpoint.Port}";

    private static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime());
}
