using OrleansFs.Grains.Master;
using OrleansFs.Master;

namespace OrleansFs.Grains.Failover.Takeover;

/// <summary>What the new master found out about how the previous one went away.</summary>
/// <param name="Detection">
/// From the last time the cluster heard from the old silo (a message or probe answer this silo received, or its
/// heartbeat in the membership table) to its death declaration; zero for a graceful move; null when not known.
/// </param>
/// <param name="FirstSign">What the detection is measured from, for the log ("last message from it", "first suspicion vote").</param>
/// <param name="FromFirstVote">From the first suspicion vote by another silo to the death declaration, when there was one.</param>
public sealed record TakeoverDetection(TakeoverCause Cause, TimeSpan? Detection, DateTimeOffset? DeclaredDeadAt, string FirstSign,
    TimeSpan? FromFirstVote = null)
{
    public static TakeoverDetection FirstStart { get; } = new(TakeoverCause.FirstStart, null, null, "none");

    /// <summary>The previous master migrated here on purpose because its silo was stopping.</summary>
    public static TakeoverDetection HandedOff(string from) => new(TakeoverCause.GracefulMove, TimeSpan.Zero, null, $"handed off by {from}");

    public static TakeoverDetection NotKnown(string why) => new(TakeoverCause.Unknown, null, null, why);
}
