using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;
using Orleans.Hosting;
using OrleansFs.Grains.Hosting;
using OrleansFs.Metrics;
using OrleansFs.Silo.Web.Api;
using OrleansFs.Silo.Web.Dashboard;
using OrleansFs.Silo.Web.Data;
using OrleansFs.Silo.Web.Metrics;
using OrleansFs.Silo.Web.Options;
using OrleansFs.Silo.Web.Pages;
using OrleansFs.Silo.Web.Seams;

namespace OrleansFs.Silo.Web.Hosting;

/// <summary>
/// The two entry points the silo host calls: <see cref="AddOrleansFsWeb"/> registers the web interface,
/// metrics and the Orleans dashboard (with its own Kestrel endpoint); <see cref="MapOrleansFsWeb"/> maps
/// the pages, the JSON API, `/metrics` and the dashboard.
/// </summary>
public static class OrleansFsWebExtensions
{
    public static WebApplicationBuilder AddOrleansFsWeb(this WebApplicationBuilder builder)
    {
        AddOptions(builder);
        AddReaders(builder.Services);
        AddMetrics(builder.Services);
        builder.Services.AddRazorComponents();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        var dashboard = builder.Configuration.GetOrleansFsSection<DashboardEndpointOptions>(DashboardEndpointOptions.Section);
        builder.UseOrleans(silo =>
        {
            silo.AddIncomingGrainCallFilter<FileSystemCallMetricsFilter>();
            if (dashboard.Enabled) silo.AddDashboard();
        });
        if (dashboard.Enabled)
        {
            builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, DashboardPortMatcherPolicy>());
            builder.WebHost.ConfigureKestrel(kestrel => Listen(kestrel, dashboard.Host, dashboard.Port));
        }
        return builder;
    }

    public static WebApplication MapOrleansFsWeb(this WebApplication app)
    {
        app.UseMiddleware<DashboardAccessMiddleware>();
        app.MapOrleansFsPages();
        app.MapOrleansFsApi();
        app.MapPrometheusScrapingEndpoint();
        if (app.Services.GetRequiredService<IOptions<DashboardEndpointOptions>>().Value.Enabled)
        {
            app.MapOrleansDashboard().WithMetadata(DashboardEndpointMetadata.Instance);
        }
        return app;
    }

    private static void AddOptions(WebApplicationBuilder builder)
    {
        builder.Services.AddOrleansFsSection<WebOptions, WebOptionsValidator>(builder.Configuration, WebOptions.Section);
        builder.Services.AddOrleansFsSection<DashboardEndpointOptions, DashboardEndpointOptionsValidator>(builder.Configuration, DashboardEndpointOptions.Section);
    }

    private static void AddReaders(IServiceCollection services)
    {
        // Block locations, worker capacity and file content come from the block and worker grains; lineage is
        // not recorded yet. Another registration (AddSingleton) replaces any of these defaults.
        services.TryAddSingleton<NotReportedSources>();
        services.TryAddSingleton<IWorkerStatsSource, WorkerGrainStatsSource>();
        services.TryAddSingleton<IBlockLocator, BlockGrainLocator>();
        services.TryAddSingleton<IFileContentReader, BlockGrainContentReader>();
        services.TryAddSingleton<ILineageSource>(sp => sp.GetRequiredService<NotReportedSources>());
        services.AddSingleton<SiloIdentity>();
        services.AddSingleton<MasterCalls>();
        services.AddSingleton<OverviewReader>();
        services.AddSingleton<WorkersReader>();
        services.AddSingleton<NamespaceReader>();
        services.AddSingleton<TimelineReader>();
        services.AddSingleton<ConfigurationReader>();
        services.AddSingleton<MetricsReader>();
        services.AddSingleton<LineageReader>();
    }

    private static void AddMetrics(IServiceCollection services)
    {
        services.AddSingleton<MetricsCollector>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsCollector>());
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MetricNames.Meter, "Microsoft.Orleans")
            .AddPrometheusExporter());
    }

    private static void Listen(KestrelServerOptions kestrel, string host, int port)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) kestrel.ListenLocalhost(port);
        else if (host is "*" or "0.0.0.0") kestrel.ListenAnyIP(port);
        else kestrel.Listen(IPAddress.Parse(host), port);
    }
}
