using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Messaging;
using OrleansFs.Client.Retry;
using OrleansFs.Clustering.ZooKeeper;

namespace OrleansFs.Client.Hosting;

/// <summary>
/// With ZooKeeper membership, watches the table for silos declared Dead: their gateway leaves the client's routing
/// and every attempt in flight is abandoned and retried at once (<see cref="GatewayLossSignal"/>), instead of waiting
/// out <see cref="OrleansFsClientOptions.AttemptTimeout"/> for an answer a dead silo will never send. With PostgreSQL
/// or a static gateway list there is no watch: a lost gateway connection and the attempt timeout still apply.
/// </summary>
internal sealed partial class SiloDeathWatchService(IServiceProvider services, GatewayLossSignal signal, ILogger<SiloDeathWatchService> logger)
    : BackgroundService
{
    /// <summary>
    /// The cluster's silos learn of a death at about the moment the client does; an attempt retried just before its
    /// gateway silo knew can be forwarded to the dead silo again and be stranded as well. So the signal fires once
    /// more after this pause, which costs at most one repeated attempt, answered from the master's retry cache.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IGatewayListProvider>() is not ZooKeeperGatewayListProvider zooKeeper) return Task.CompletedTask;
        var routing = GatewayRouting.From(services);
        if (!routing.CanMarkDead) LogNoRouting(logger);
        return zooKeeper.WatchDeathsAsync(death => OnDeath(death, routing, stoppingToken), stoppingToken);
    }

    private void OnDeath(SiloDeath death, GatewayRouting routing, CancellationToken stoppingToken)
    {
        try
        {
            // Routing first, so the retries the signal starts go elsewhere.
            routing.MarkDead(death.Gateway, death.Silo.Generation);
        }
        catch (Exception e)
        {
            LogRoutingFailed(logger, e, death.Silo.ToString());
        }
        string silo = death.Silo.ToString();
        signal.OnSiloDeclaredDead(silo);
        _ = Task.Delay(Settle, stoppingToken).ContinueWith(t =>
        {
            if (!t.IsCanceled) signal.OnSiloDeclaredDead(silo);
        }, TaskScheduler.Default);
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "Orleans' gateway manager was not found: a dead silo's gateway leaves the client's routing only at the next gateway-list refresh")]
    private static partial void LogNoRouting(ILogger logger);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Could not take dead silo {Silo}'s gateway out of the client's routing")]
    private static partial void LogRoutingFailed(ILogger logger, Exception exception, string silo);
}
