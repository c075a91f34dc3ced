using Microsoft.AspNetCore.Builder;

namespace OrleansFs.Silo.Hosting;

/// <summary>Builds the silo process: configuration, Orleans, and the web endpoints.</summary>
public static class OrleansFsSiloHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddEnvironmentVariables(prefix: "OFS_");
        builder.Configuration.AddCommandLine(args);
        builder.UseOrleans(silo => silo.UseLocalhostClustering());
        var app = builder.Build();
        app.MapGet("/health", () => "ok");
        return app;
    }
}
