using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansFs.Grains.Metrics;

namespace OrleansFs.Tests.Metrics;

public sealed class MetricsRegistrationTests
{
    [Fact]
    public void AddOrleansFsMetrics_registers_the_call_filter_and_the_collector_once_however_often_it_is_called()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddOrleansFsMetrics().AddOrleansFsMetrics());
        builder.UseOrleans(silo => silo.AddOrleansFsMetrics());

        var services = builder.Services;
        Assert.Single(services, d => d.ServiceType == typeof(IIncomingGrainCallFilter) && d.ImplementationType == typeof(FileSystemCallMetricsFilter));
        Assert.Single(services, d => d.ServiceType == typeof(MetricsCollector));
        using var host = builder.Build();
        Assert.Single(host.Services.GetServices<IHostedService>().OfType<MetricsCollector>());
    }
}
