using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Failover.Takeover;
using OrleansFs.Security;

namespace OrleansFs.Grains.Failover.FastDeath;

/// <summary>
/// The fast path for a dead silo process whose host is still up (SIGKILL, a crash, an OOM kill): each silo keeps a
/// <see cref="PeerWatch"/> on every other active silo's silo port. When a peer's process is gone (its watch
/// connection ended by its kernel and its port refusing), and its row in the membership table still says Active, this
/// silo declares it dead at once (<see cref="IClusterMembershipService.TryKill"/>) instead of waiting for the probes
/// (one to two seconds). A silo stopping gracefully writes ShuttingDown and then Dead before Orleans closes its silo
/// port, so it is never declared dead here; a slow, paused or unreachable silo never refuses a connect, so it is
/// left to the probes, exactly as before. Off with `Failover:FastDeathDetection=false`, and with `Security:Enabled`.
/// </summary>
internal sealed partial class ProcessDeathWatch(
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    IServiceProvider services,
    PeerConnectionLog connections,
    IOptions<FailoverOptions> failover,
    IOptions<SecurityOptions> security,
    ILogger<ProcessDeathWatch> logger) : BackgroundService
{
    private const int KillAttempts = 3;
    private readonly ConcurrentDictionary<SiloAddress, CancellationTokenSource> _watches = new();
    // Generations whose watch ended; a generation never comes back, so each is watched once.
    private readonly ConcurrentDictionary<SiloAddress, byte> _done = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (WhyOff() is { } reason)
        {
            LogOff(logger, reason);
            return;
        }
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
                Follow(snapshot, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var watch in _watches.Values) CancelQuietly(watch);
        }
    }

    private string? WhyOff()
    {
        if (!failover.Value.FastDeathDetection) return "Failover:FastDeathDetection is false";
        // An idle plain connection to a TLS silo port is closed by its handshake timeout, over and over.
        if (security.Value.Enabled) return "with Security:Enabled the silo port speaks TLS only, which the idle watch connection does not";
        return null;
    }

    /// <summary>Watches every active peer generation, and stops watching those no longer active.</summary>
    private void Follow(ClusterMembershipSnapshot snapshot, CancellationToken stoppingToken)
    {
        foreach (var member in snapshot.Members.Values)
        {
            var silo = member.SiloAddress;
            bool active = member.Status == SiloStatus.Active;
            if (active && !silo.Equals(local.SiloAddress) && !_done.ContainsKey(silo) && !_watches.ContainsKey(silo))
            {
                var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                _watches[silo] = cancel;
                _ = WatchAsync(silo, cancel);
            }
            else if (!active && _watches.TryRemove(silo, out var watch))
            {
                _done[silo] = 0;
                CancelQuietly(watch);
            }
        }
    }

    private async Task WatchAsync(SiloAddress silo, CancellationTokenSource cancel)
    {
        var cancellationToken = cancel.Token;
        var options = failover.Value;
        int reported = 0;
        var watch = new PeerWatch(silo.Endpoint, options.ProbeTimeout, options.ProbeTimeout, TimeProvider.System)
        {
            CannotConnect = end =>
            {
                if (Interlocked.Exchange(ref reported, 1) == 0) LogCannotWatch(logger, silo, end);
            },
        };
        try
        {
            var exitedAt = await watch.WaitForProcessExitAsync(cancellationToken);
            await DeclareDeadAsync(silo, exitedAt, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogWatchFailed(logger, e, silo);
        }
        finally
        {
            _done[silo] = 0;
            _watches.TryRemove(KeyValuePair.Create(silo, cancel));
            cancel.Dispose();
        }
    }

    /// <summary>A watch that ended by itself meanwhile has disposed its cancellation.</summary>
    private static void CancelQuietly(CancellationTokenSource watch)
    {
        try
        {
            watch.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Declares the gone process dead while its row still says Active (read from the table itself, not gossip, so a
    /// graceful stop's ShuttingDown or Dead is seen). Orleans' kill is one conditional write, which a concurrent change
    /// of the table defeats; it is tried again while the row stays Active. The exit is noted either way: if this silo
    /// takes the master over, detection starts there (a graceful stop is told apart by the row, before the exit counts).
    /// </summary>
    private async Task DeclareDeadAsync(SiloAddress silo, DateTimeOffset exitedAt, CancellationToken cancellationToken)
    {
        connections.RecordProcessExit(Endpoint(silo), exitedAt);
        for (int attempt = 1; attempt <= KillAttempts; attempt++)
        {
            var (status, graceful) = await ReadRowAsync(silo);
            if (status != SiloStatus.Active)
            {
                // Otherwise another silo declared it dead first.
                if (attempt == 1 && graceful) LogLeftGracefully(logger, silo, status);
                return;
            }
            if (membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress) != SiloStatus.Active) return;
            if (attempt == 1) LogDeclaringDead(logger, silo, (long)(DateTimeOffset.UtcNow - exitedAt).TotalMilliseconds);
            await membership.TryKill(silo);
            if (await LeftSnapshotAsync(silo, failover.Value.ProbeTimeout, cancellationToken)) return;
        }
        LogNotDeclared(logger, silo, KillAttempts);
    }

    /// <summary>The silo's status, and whether it is stopping or stopped by itself (Dead with its own vote last).</summary>
    private async Task<(SiloStatus Status, bool Graceful)> ReadRowAsync(SiloAddress silo)
    {
        if (services.GetService(typeof(IMembershipTable)) is not IMembershipTable table)
        {
            var status = membership.CurrentSnapshot.GetSiloStatus(silo);
            return (status, status is SiloStatus.ShuttingDown or SiloStatus.Stopping);
        }
        if ((await table.ReadRow(silo)).TryGet(silo)?.Item1 is not { } entry) return (SiloStatus.None, false);
        bool graceful = entry.Status is SiloStatus.ShuttingDown or SiloStatus.Stopping
            || (entry.Status == SiloStatus.Dead && entry.SuspectTimes?.MaxBy(v => v.Item2)?.Item1.Equals(silo) == true);
        return (entry.Status, graceful);
    }

    private async Task<bool> LeftSnapshotAsync(SiloAddress silo, TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (membership.CurrentSnapshot.GetSiloStatus(silo) != SiloStatus.Active) return true;
            await Task.Delay(20, cancellationToken);
        }
        return false;
    }

    internal static string Endpoint(SiloAddress silo) => $"{silo.Endpoint.Address}:{silo.Endpoint.Port}";

    [LoggerMessage(EventId = 1052, Level = LogLevel.Warning,
        Message = "Silo {Silo}'s process is gone (its connection was closed by its host and its silo port refuses connections) while its row says Active: declaring it dead now, {SinceExitMs} ms after the close")]
    private static partial void LogDeclaringDead(ILogger logger, SiloAddress silo, long sinceExitMs);

    [LoggerMessage(EventId = 1053, Level = LogLevel.Information,
        Message = "Silo {Silo} closed its silo port while {Status}: a graceful stop, not declared dead")]
    private static partial void LogLeftGracefully(ILogger logger, SiloAddress silo, SiloStatus status);

    [LoggerMessage(EventId = 1054, Level = LogLevel.Warning,
        Message = "Silo {Silo}'s process is gone but it is still Active after {Attempts} attempts to declare it dead; the probes will")]
    private static partial void LogNotDeclared(ILogger logger, SiloAddress silo, int attempts);

    [LoggerMessage(EventId = 1055, Level = LogLevel.Information,
        Message = "Fast detection of dead silo processes is off ({Reason}); dead silos are found by probes alone")]
    private static partial void LogOff(ILogger logger, string reason);

    [LoggerMessage(EventId = 1056, Level = LogLevel.Information,
        Message = "No watch connection to silo {Silo} yet ({Why}); retrying, and until one opens its death is left to the probes")]
    private static partial void LogCannotWatch(ILogger logger, SiloAddress silo, PeerWatchEnd why);

    [LoggerMessage(EventId = 1057, Level = LogLevel.Warning, Message = "Watching silo {Silo} for a dead process failed; its death is left to the probes")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, SiloAddress silo);
}
