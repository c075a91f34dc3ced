using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFs.Master;

namespace OrleansFs.Grains.Master;

/// <summary>
/// Activates the master as soon as the silo is up, so its recovery (and any journal damage) happens at
/// startup and is logged here, not on the first client call.
/// </summary>
internal sealed partial class MasterWarmup(
    IHostApplicationLifetime lifetime,
    IGrainFactory grains,
    ILogger<MasterWarmup> logger) : IHostedService
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = WarmUpAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WarmUpAsync(CancellationToken stopping)
    {
        try
        {
            var info = await grains.GetGrain<IMasterGrain>(IMasterGrain.Key).GetInfo().WaitAsync(Timeout, stopping);
            LogReady(logger,
                info.SiloAddress, info.Epoch, info.FileCount, info.DirectoryCount, info.JournalSequence,
                (long)info.RecoveryDuration.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogNotAvailable(logger, e, e.Message);
        }
    }

    [LoggerMessage(EventId = 1910, Level = LogLevel.Information,
        Message = "Master ready on {MasterSilo}: epoch {Epoch}, {Files} files, {Directories} directories, journal sequence {Sequence}, recovered in {RecoveryMs} ms")]
    private static partial void LogReady(ILogger logger, string masterSilo, long epoch, long files, long directories, long sequence, long recoveryMs);

    [LoggerMessage(EventId = 1911, Level = LogLevel.Error, Message = "Master is not available: {Reason}")]
    private static partial void LogNotAvailable(ILogger logger, Exception exception, string reason);
}
