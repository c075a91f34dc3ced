using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OrleansFs.Client.Lineage;
using OrleansFs.Client.Retry;
using OrleansFs.Client.Streams;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.Lineage;
using OrleansFs.Silo.Configuration;
using OrleansFs.Silo.Health;
using OrleansFs.Silo.Tls;
using OrleansFs.Silo.Web.Hosting;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Hosting;

/// <summary>Builds the silo process: configuration, Orleans with <c>AddOrleansFs</c>, and the web endpoints.</summary>
public static class OrleansFsSiloHost
{
    public const string EnvironmentPrefix = "OFS_";

    /// <summary>
    /// Throws <see cref="OptionsValidationException"/> (or an <see cref="AggregateException"/> of them) naming the
    /// keys when the configuration cannot start a silo; every section is checked here, before anything starts.
    /// </summary>
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

        builder.Services.AddOrleansFsSection<SiloHostOptions, SiloHostOptionsValidator>(builder.Configuration, SiloHostOptions.Section);
        ResolveDataPaths(builder.Services);
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<SiloHostOptions>>((o, silo) => o.ShutdownTimeout = silo.Value.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(ListenForWeb);
        builder.UseOrleans(silo =>
        {
            SiloWiring.Configure(silo, builder.Configuration);
            SiloTls.Configure(silo);
            silo.AddOrleansFs(builder.Configuration);
            // In-process lineage jobs read and write files through the client core over this silo's own grain factory.
            silo.Services.AddSingleton<ILineageJobFiles>(sp =>
                new LineageJobFiles(new FileDataClient(sp.GetRequiredService<IGrainFactory>(), RetryPipeline.Default)));
        });
        builder.Services.AddHostedService<StartupReporter>();
        builder.AddOrleansFsWeb();

        var app = builder.Build();
        // The validators of every section (ValidateOnStart) run now, so a bad value stops the process before
        // any hosted service, Orleans included, is created.
        app.Services.GetRequiredService<IStartupValidator>().Validate();
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

    /// <summary>Relative data directories mean "under the directory the silo was started from".</summary>
    private static void ResolveDataPaths(IServiceCollection services)
    {
        services.PostConfigure<JournalOptions>(o => o.Directory = FullPath(o.Directory));
        services.PostConfigure<UnderStorageOptions>(o => o.Directory = FullPath(o.Directory));
    }

    /// <summary>An empty path stays empty, for its validator to name.</summary>
    private static string FullPath(string path) => string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path);

    private static void ListenForWeb(KestrelServerOptions kestrel)
    {
        var silo = kestrel.ApplicationServices.GetRequiredService<IOptions<SiloHostOptions>>().Value;
        int port = kestrel.ApplicationServices.GetRequiredService<IOptions<WebOptions>>().Value.Port;
        // A loopback silo keeps its web interface private; a silo advertised on a real address serves it on every interface.
        if (IPAddress.IsLoopback(silo.AdvertisedIPAddress))
            kestrel.Listen(silo.AdvertisedIPAddress, port, WebHttps.Apply);
        else
            kestrel.ListenAnyIP(port, WebHttps.Apply);
    }
}
