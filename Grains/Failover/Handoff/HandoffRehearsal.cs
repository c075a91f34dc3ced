using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansFs.Grains.Failover.Handoff;

/// <summary>
/// Once the silo is up, sends a <see cref="IHandoffRehearsalGrain"/> to another active silo and back, so both
/// directions of the master's hand-off path (leaving here, arriving here) have run once in this process before
/// a real hand-off needs them. Best effort: a silo alone, or a failed rehearsal, only costs the first hand-off time.
/// </summary>
internal sealed partial class HandoffRehearsal(
    IHostApplicationLifetime lifetime,
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    ILogger<HandoffRehearsal> logger) : IHostedService
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(10);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = RehearseAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RehearseAsync(CancellationToken stopping)
    {
        if (PickOther() is not { } other) return;
        var grain = grains.GetGrain<IHandoffRehearsalGrain>(Guid.NewGuid());
        var clock = Stopwatch.StartNew();
        try
        {
            await MoveAsync(grain, other, stopping);
            await MoveAsync(grain, local.SiloAddress, stopping);
            await grain.Retire().WaitAsync(StepTimeout, stopping);
            LogRehearsed(logger, other, clock.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogRehearsalFailed(logger, e, other, e.Message);
        }
    }

    private static async Task MoveAsync(IHandoffRehearsalGrain grain, SiloAddress target, CancellationToken stopping)
    {
        await grain.MoveTo(target).WaitAsync(StepTimeout, stopping);
        var deadline = DateTime.UtcNow + StepTimeout;
        while (!(await grain.GetLocation().WaitAsync(StepTimeout, stopping)).Equals(target))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the rehearsal grain did not arrive at {target}");
            await Task.Delay(10, stopping);
        }
    }

    private SiloAddress? PickOther() => MasterHandoff.OtherActiveSilos(membership, local).FirstOrDefault();

    [LoggerMessage(EventId = 1240, Level = LogLevel.Information, Message = "Rehearsed the master hand-off path to {OtherSilo} and back in {ElapsedMs} ms")]
    private static partial void LogRehearsed(ILogger logger, SiloAddress otherSilo, long elapsedMs);

    [LoggerMessage(EventId = 1241, Level = LogLevel.Information, Message = "Could not rehearse the master hand-off path with {OtherSilo}: {Reason}")]
    private static partial void LogRehearsalFailed(ILogger logger, Exception exception, SiloAddress otherSilo, string reason);
}
