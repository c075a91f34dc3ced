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
using Orleans;
using Orleans.Hosting;
using OrleansFs.Client;
using OrleansFs.Client.Cluster;
using OrleansFs.Client.FileSystem;
using OrleansFs.Client.Retry;
using OrleansFs.Client.Streams;
using OrleansFs.Grains.Hosting;
using OrleansFs.Metrics;
using OrleansFs.Silo.Web.Api;
using OrleansFs.Silo.Web.Dashboard;
using OrleansFs.Silo.Web.Data;
using OrleansFs.Silo.Web.Options;
using OrleansFs.Silo.Web.Pages;
using OrleansFs.Silo.Web.Static;

namespace OrleansFs.Silo.Web.Hosting;

/// <summary>
/// The two entry points the silo host calls: <see cref="AddOrleansFsWeb"/> registers the web interface,
/// the Prometheus exporter and the Orleans dashboard (with its own Kestrel endpoint); <see cref="MapOrleansFsWeb"/>
/// maps the pages, the JSON API, `/metrics` and the dashboard. The metrics themselves are the core's
/// (<c>AddOrleansFsMetrics</c>), so a silo without the web interface counts the same.
/// </summary>
public static class OrleansFsWebExtensions
{
    public static WebApplicationBuilder AddOrleansFsWeb(this WebApplicationBuilder builder)
    {
        AddOptions(builder);
        AddReaders(builder.Services);
        AddPrometheusExporter(builder.Services);
        builder.Services.AddRazorComponents();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        var dashboard = builder.Configuration.GetOrleansFsSection<DashboardEndpointOptions>(DashboardEndpointOptions.Section);
        builder.UseOrleans(silo =>
        {
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
        app.MapOrleansFsStatic();
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
        // The pages read through the client core over this silo's own grain factory. Its calls are not retried:
        // each page bounds its wait (WebOptions.GrainCallTimeout) and says what failed.
        services.TryAddSingleton<IFileSystem>(sp => new OrleansFileSystem(sp.GetRequiredService<IGrainFactory>(), RetryPipeline.SingleAttempt));
        services.TryAddSingleton(sp => new FileDataClient(sp.GetRequiredService<IGrainFactory>()));
        services.TryAddSingleton(sp => new ClusterQueries(sp.GetRequiredService<IGrainFactory>()));
        services.AddSingleton<BlockLocator>();
        services.AddSingleton<WorkerStatsReader>();
        services.AddSingleton<SiloIdentity>();
        services.AddSingleton<MasterCalls>();
        services.AddSingleton<OverviewReader>();
        services.AddSingleton<WorkersReader>();
        services.AddSingleton<NamespaceReader>();
        services.AddSingleton<TimelineReader>();
        services.AddSingleton<ConfigurationReader>();
        services.AddSingleton<MetricsReader>();
        services.AddSingleton<LineageReader>();
        services.AddSingleton<SeriesReader>();
    }

    private static void AddPrometheusExporter(IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MetricNames.Meter, "Microsoft.Orleans")
            .AddPrometheusExporter());
    }

    private static void Listen(KestrelServerOptions kestrel, string host, int port)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) kestrel.ListenLocalhost(port, WebHttps.Apply);
        else if (host is "*" or "0.0.0.0") kestrel.ListenAnyIP(port, WebHttps.Apply);
        else kestrel.Listen(IPAddress.Parse(host), port, WebHttps.Apply);
    }
}
