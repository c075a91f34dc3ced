using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFs.Master;

namespace OrleansFs.Grains.Failover.Handoff;

/// <summary>
/// On a graceful stop (SIGTERM), before Orleans begins shutting this silo down, moves the master to another
/// active silo and waits until it serves there. Without this the master is deactivated only late in
/// Orleans' shutdown (with every other grain), and re-activated by whichever client call comes next.
/// Registered after Orleans, so the host stops it first.
/// </summary>
internal sealed partial class MasterHandoff(
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    ILogger<MasterHandoff> logger) : IHostedService
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var master = grains.GetGrain<IMasterGrain>(IMasterGrain.Key);
        string here = $"{local.SiloAddress.Endpoint.Address}:{local.SiloAddress.Endpoint.Port}";
        try
        {
            var info = await master.GetInfo().WaitAsync(Timeout, cancellationToken);
            if (info.SiloAddress != here) return;
            if (PickTarget() is not { } target)
            {
                LogNoOtherSilo(logger, here);
                return;
            }
            // From here on clients wait: calls sent now are held until the new activation serves.
            var clock = Stopwatch.StartNew();
            await master.HandOff(target).WaitAsync(Timeout, cancellationToken);
            var moved = await WaitServedElsewhereAsync(master, here, cancellationToken);
            // Everything but the recovery is the hand-off's own cost (see the old and new master's log lines for its steps).
            LogHandedOff(logger, here, moved.SiloAddress, moved.Epoch, clock.ElapsedMilliseconds, (long)moved.RecoveryDuration.TotalMilliseconds);
        }
        catch (Exception e)
        {
            // Orleans' own shutdown still deactivates the master; the next call re-activates it elsewhere.
            LogHandoffFailed(logger, e, e.Message);
        }
    }

    private SiloAddress? PickTarget()
    {
        var others = OtherActiveSilos(membership, local);
        return others.Count == 0 ? null : others[Random.Shared.Next(others.Count)];
    }

    /// <summary>The silos the master could move to: active, and not this one.</summary>
    internal static List<SiloAddress> OtherActiveSilos(IClusterMembershipService membership, ILocalSiloDetails local) =>
        membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(local.SiloAddress))
            .Select(m => m.SiloAddress)
            .ToList();

    /// <summary>Calls sent now are forwarded to the new activation, so an answer from elsewhere means it has recovered.</summary>
    private static async Task<MasterInfo> WaitServedElsewhereAsync(IMasterGrain master, string here, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var info = await master.GetInfo().WaitAsync(Timeout, cancellationToken);
            if (info.SiloAddress != here || DateTime.UtcNow > deadline) return info;
            await Task.Delay(10, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 1230, Level = LogLevel.Warning, Message = "The master stops with this silo {Silo}: no other silo is active to take it over")]
    private static partial void LogNoOtherSilo(ILogger logger, string silo);

    [LoggerMessage(EventId = 1231, Level = LogLevel.Information,
        Message = "Master handed off from {Silo} to {TargetSilo} at epoch {Epoch} in {ElapsedMs} ms, of which recovery {RecoveryMs} ms")]
    private static partial void LogHandedOff(ILogger logger, string silo, string targetSilo, long epoch, long elapsedMs, long recoveryMs);

    [LoggerMessage(EventId = 1232, Level = LogLevel.Warning, Message = "Could not hand the master off before stopping: {Reason}")]
    private static partial void LogHandoffFailed(ILogger logger, Exception exception, string reason);
}
