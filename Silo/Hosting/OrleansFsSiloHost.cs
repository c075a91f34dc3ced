using System.Net;
using Microsoft.AspNetCore.Builder;
using OrleansFs.Silo.Web.Hosting;

namespace OrleansFs.Silo.Hosting;

/// <summary>Builds the silo process: configuration, Orleans, and the web endpoints.</summary>
public static class OrleansFsSiloHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddEnvironmentVariables(prefix: "OFS_");
        builder.Configuration.AddCommandLine(args);
        var config = builder.Configuration;
        builder.UseOrleans(silo => silo.UseLocalhostClustering(
            config.GetValue("Silo:Port", 11111), config.GetValue("Silo:GatewayPort", 30000),
            serviceId: config["Cluster:ServiceId"] ?? "ofs", clusterId: config["Cluster:Id"] ?? "ofs"));
        // Placeholder until the host lands: the web interface's port.
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, builder.Configuration.GetValue("Web:Port", 19999)));
        builder.AddOrleansFsWeb();
        var app = builder.Build();
        app.MapGet("/health", () => "ok");
        app.MapOrleansFsWeb();
        return app;
    }
}
