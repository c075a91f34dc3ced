using Microsoft.Extensions.Logging;
using OrleansFs.Grains.Master;

namespace OrleansFs.Grains.Failover.Handoff;

/// <summary>
/// When the steps of one graceful hand-off happened, carried from the old activation to the new one in the
/// migration context, so the logs split the time clients wait into: calls in flight finishing, the old
/// activation stopping (journal closed), the migration message, and the new master's recovery (logged with
/// its takeover). Wall-clock times, since the two activations live in different processes; across hosts
/// the migration figure includes their clock skew.
/// </summary>
internal sealed partial class HandoffTimeline(TimeProvider time)
{
    private const string AskedAtKey = "ofs-master-handoff-asked-at";
    private const string DehydratedAtKey = "ofs-master-handoff-dehydrated-at";
    private DateTimeOffset? _askedAt;

    public bool IsHandingOff => _askedAt is not null;

    public void Asked() => _askedAt = time.GetUtcNow();

    /// <summary>Old activation: how long calls in flight held the deactivation back, then how long stopping took.</summary>
    public void LogDeactivated(ILogger logger, long epoch, DateTimeOffset deactivationStarted)
    {
        var now = time.GetUtcNow();
        LogStoppedForHandoff(logger,
            epoch, Milliseconds(deactivationStarted - _askedAt!.Value), Milliseconds(now - deactivationStarted));
    }

    public void Write(IDehydrationContext context)
    {
        if (_askedAt is { } asked) context.TryAddValue(AskedAtKey, asked.UtcTicks);
        context.TryAddValue(DehydratedAtKey, time.GetUtcNow().UtcTicks);
    }

    /// <summary>New activation: how long the migration message took, and the whole wait so far.</summary>
    public void LogRehydrated(ILogger logger, IRehydrationContext context, string from)
    {
        var now = time.GetUtcNow();
        if (!context.TryGetValue(AskedAtKey, out long asked) || !context.TryGetValue(DehydratedAtKey, out long dehydrated)) return;
        LogArrived(logger,
            from, Milliseconds(now.UtcTicks - dehydrated), Milliseconds(now.UtcTicks - asked));
    }

    private static long Milliseconds(TimeSpan span) => (long)span.TotalMilliseconds;

    private static long Milliseconds(long ticks) => ticks / TimeSpan.TicksPerMillisecond;

    [LoggerMessage(EventId = 1220, Level = LogLevel.Information,
        Message = "Master epoch {Epoch} stopped for the hand-off: {InFlightMs} ms for calls in flight, {DeactivationMs} ms to stop and close the journal")]
    private static partial void LogStoppedForHandoff(ILogger logger, long epoch, long inFlightMs, long deactivationMs);

    [LoggerMessage(EventId = 1221, Level = LogLevel.Information,
        Message = "Master arrived from {FromSilo} {MigrationMs} ms after it left, {SinceHandOffMs} ms after the hand-off was asked; recovery follows")]
    private static partial void LogArrived(ILogger logger, string fromSilo, long migrationMs, long sinceHandOffMs);
}
