using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFs.Master;

namespace OrleansFs.Grains.Failover.Takeover;

/// <summary>
/// When the cluster declares a silo dead, the first active silo (by address) calls the master at once. If the
/// master lived on the dead silo this activates it on a survivor and starts its recovery the moment the death is
/// known, instead of when a client's retry happens to arrive (after its attempt on the dead silo times out). If
/// the master lives elsewhere the call is one cheap read.
/// </summary>
internal sealed partial class MasterWakeup(IClusterMembershipService membership, ILocalSiloDetails local, IGrainFactory grains, ILogger<MasterWakeup> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var newlyDead = snapshot.Members.Values
                    .Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).Select(m => m.SiloAddress).ToList();
                if (newlyDead.Count == 0 || !IsFirstActive(snapshot)) continue;
                _ = WakeAsync(string.Join(", ", newlyDead));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One silo calls, not all: the lowest active address, which every silo agrees on from the same snapshot.</summary>
    private bool IsFirstActive(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).Order().FirstOrDefault() is { } first
        && first.Equals(local.SiloAddress);

    private async Task WakeAsync(string deadSilos)
    {
        try
        {
            var info = await grains.GetGrain<IMasterGrain>(IMasterGrain.Key).GetInfo();
            LogWoken(logger, deadSilos, info.SiloAddress, info.Epoch);
        }
        catch (Exception e)
        {
            LogWakeFailed(logger, e, deadSilos);
        }
    }

    [LoggerMessage(EventId = 1050, Level = LogLevel.Information, Message = "Silo {DeadSilos} declared dead: the master answers on {MasterSilo} at epoch {Epoch}")]
    private static partial void LogWoken(ILogger logger, string deadSilos, string masterSilo, long epoch);

    [LoggerMessage(EventId = 1051, Level = LogLevel.Warning, Message = "Silo {DeadSilos} declared dead: calling the master to move it failed; the next client call moves it")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string deadSilos);
}
