using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansFs.Grains.Metrics.Series;

namespace OrleansFs.Grains.Metrics;

public static class MetricsSiloBuilderExtensions
{
    /// <summary>
    /// Registers the silo's metrics: the grain call filter that counts operations and block bytes, and the
    /// <see cref="MetricsCollector"/> that keeps totals and rates for the web interface, the
    /// <see cref="MetricSeriesRecorder"/> behind its charts, and the block storage gauges. The data endpoint
    /// and the journal record on their own. Calling it again adds nothing, so no call is counted twice.
    /// </summary>
    public static ISiloBuilder AddOrleansFsMetrics(this ISiloBuilder silo)
    {
        if (silo.Services.Any(d => d.ServiceType == typeof(MetricsCollector))) return silo;
        silo.AddIncomingGrainCallFilter<FileSystemCallMetricsFilter>();
        silo.Services.TryAddSingleton<MetricsCollector>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<MetricsCollector>());
        silo.Services.TryAddSingleton<MetricSeriesRecorder>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<MetricSeriesRecorder>());
        silo.Services.TryAddSingleton<TierGauges>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<TierGauges>());
        return silo;
    }
}
