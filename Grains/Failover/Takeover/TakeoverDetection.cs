using OrleansFs.Grains.Master;
using OrleansFs.Master;

namespace OrleansFs.Grains.Failover.Takeover;

/// <summary>What the new master found out about how the previous one went away.</summary>
/// <param name="Detection">First sign of failure to death declaration; zero for a graceful move; null when not known.</param>
/// <param name="FirstSign">What the detection is measured from, for the log ("connection lost", "first suspicion vote").</param>
public sealed record TakeoverDetection(TakeoverCause Cause, TimeSpan? Detection, DateTimeOffset? DeclaredDeadAt, string FirstSign)
{
    public static TakeoverDetection FirstStart { get; } = new(TakeoverCause.FirstStart, null, null, "none");

    /// <summary>The previous master migrated here on purpose because its silo was stopping.</summary>
    public static TakeoverDetection HandedOff(string from) => new(TakeoverCause.GracefulMove, TimeSpan.Zero, null, $"handed off by {from}");

    public static TakeoverDetection NotKnown(string why) => new(TakeoverCause.Unknown, null, null, why);
}
