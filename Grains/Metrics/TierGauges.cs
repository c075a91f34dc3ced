using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansFs.Blocks;
using OrleansFs.Grains.Blocks;
using OrleansFs.Metrics;

namespace OrleansFs.Grains.Metrics;

/// <summary>
/// This silo's block storage by tier, read when a scraper asks: capacity, use, and the part that may not be
/// evicted (pinned or not yet persisted). One meter per silo, because the numbers are its block store's; a
/// silo without block storage has none.
/// </summary>
internal sealed class TierGauges(IServiceProvider services) : IHostedService, IDisposable
{
    private Meter? _meter;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<BlockStore>() is { } store) Create(store);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Create(BlockStore store)
    {
        _meter = new Meter(MetricNames.Meter);
        _meter.CreateObservableGauge(MetricNames.TierCapacity, () => Measure(store, t => t.CapacityBytes), "By", "Block storage capacity of this silo by tier");
        _meter.CreateObservableGauge(MetricNames.TierUsed, () => Measure(store, t => t.UsedBytes), "By", "Block bytes stored on this silo by tier");
        _meter.CreateObservableGauge(MetricNames.TierUnevictable, () => Measure(store, t => t.UnevictableBytes), "By",
            "Block bytes on this silo that may not be evicted (pinned or not yet persisted) by tier");
    }

    private static IEnumerable<Measurement<long>> Measure(BlockStore store, Func<TierStats, long> value) =>
        store.GetTierStats().Select(t => new Measurement<long>(value(t), new KeyValuePair<string, object?>(MetricNames.TierTag, t.Name)));

    public void Dispose() => _meter?.Dispose();
}
