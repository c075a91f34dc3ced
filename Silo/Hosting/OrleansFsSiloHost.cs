using System.Net;
using Microsoft.AspNetCore.Builder;
using OrleansFs.Grains.Blocks;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.Metrics;
using OrleansFs.Silo.Configuration;
using OrleansFs.Silo.Health;
using OrleansFs.Silo.Web.Hosting;

namespace OrleansFs.Silo.Hosting;

/// <summary>Builds the silo process: configuration, Orleans, and the web endpoints.</summary>
public static class OrleansFsSiloHost
{
    public const string EnvironmentPrefix = "OFS_";

    /// <summary>Throws <see cref="SiloConfigurationException"/> when the configuration cannot start a silo.</summary>
    public static WebApplication Build(string[] args)
    {
        // The content root is the output folder, so appsettings.json is found wherever the process starts;
        // relative data paths are still resolved against the current directory (see ResolveDataPaths).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        AddConfigurationSources(builder.Configuration, args);
        var configuration = SiloConfiguration.Load(builder.Configuration);

        builder.Services.AddSingleton(configuration);
        RegisterSettings(builder.Services, builder.Configuration);
        builder.Services.AddOrleansFsJournal(builder.Configuration);
        builder.Services.AddOrleansFsMaster(builder.Configuration);
        ResolveDataPaths(builder.Services);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = configuration.Silo.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel => ListenForWeb(kestrel, configuration));
        builder.UseOrleans(silo =>
        {
            SiloWiring.Configure(silo, configuration);
            FailoverWiring.Configure(silo, builder.Configuration, configuration);
            silo.AddOrleansFsData(builder.Configuration);
            silo.AddOrleansFsMetrics();
        });
        builder.Services.AddHostedService<StartupReporter>();
        builder.Services.AddHostedService<MasterWarmup>();
        builder.Services.AddHostedService<MasterHandoff>();
        builder.Services.AddHostedService<HandoffRehearsal>();
        builder.AddOrleansFsWeb();

        var app = builder.Build();
        app.MapOrleansFsHealth();
        app.MapOrleansFsWeb();
        return app;
    }

    /// <summary>appsettings.json (already added), then `OFS_Section__Key` variables, then `--Section:Key=value`.</summary>
    private static void AddConfigurationSources(ConfigurationManager configuration, string[] args)
    {
        configuration.AddEnvironmentVariables(prefix: EnvironmentPrefix);
        // Added again so the command line wins over the OFS_ variables added above.
        configuration.AddCommandLine(args);
    }

    private static void RegisterSettings(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterSettings>().Bind(configuration.GetSection(ClusterSettings.Section));
        services.AddOptions<SiloSettings>().Bind(configuration.GetSection(SiloSettings.Section));
        services.AddOptions<ZooKeeperSettings>().Bind(configuration.GetSection(ZooKeeperSettings.Section));
        services.AddOptions<AdoNetSettings>().Bind(configuration.GetSection(AdoNetSettings.Section));
        services.AddOptions<WebSettings>().Bind(configuration.GetSection(WebSettings.Section));
        services.AddOptions<DashboardSettings>().Bind(configuration.GetSection(DashboardSettings.Section));
        services.AddOptions<WorkerSettings>().Bind(configuration.GetSection(WorkerSettings.Section));
        services.AddOptions<UnderStorageSettings>().Bind(configuration.GetSection(UnderStorageSettings.Section));
    }

    /// <summary>Relative data directories mean "under the directory the silo was started from".</summary>
    private static void ResolveDataPaths(IServiceCollection services)
    {
        services.PostConfigure<JournalOptions>(o => o.Directory = Path.GetFullPath(o.Directory));
        services.PostConfigure<UnderStorageSettings>(o => o.Directory = Path.GetFullPath(o.Directory));
        services.PostConfigure<OrleansFs.Grains.UnderStorage.UnderStorageOptions>(o => o.Directory = Path.GetFullPath(o.Directory));
    }

    private static void ListenForWeb(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, SiloConfiguration configuration)
    {
        // A loopback silo keeps its web interface private; a silo advertised on a real address serves it on every interface.
        if (IPAddress.IsLoopback(configuration.AdvertisedAddress))
            kestrel.Listen(configuration.AdvertisedAddress, configuration.Web.Port);
        else
            kestrel.ListenAnyIP(configuration.Web.Port);
    }
}
