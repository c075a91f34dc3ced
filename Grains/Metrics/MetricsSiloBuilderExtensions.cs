using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrleansFs.Grains.Metrics;

public static class MetricsSiloBuilderExtensions
{
    /// <summary>
    /// Registers the silo's metrics: the grain call filter that counts operations and block bytes, and the
    /// <see cref="MetricsCollector"/> that keeps totals and rates for the web interface. The data endpoint
    /// and the journal record on their own. Calling it again adds nothing, so no call is counted twice.
    /// </summary>
    public static ISiloBuilder AddOrleansFsMetrics(this ISiloBuilder silo)
    {
        if (silo.Services.Any(d => d.ServiceType == typeof(MetricsCollector))) return silo;
        silo.AddIncomingGrainCallFilter<FileSystemCallMetricsFilter>();
        silo.Services.TryAddSingleton<MetricsCollector>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<MetricsCollector>());
        return silo;
    }
}
