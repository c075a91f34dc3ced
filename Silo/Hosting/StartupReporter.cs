using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Hosting;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Hosting;

/// <summary>Logs the one line an operator looks for: where this silo can be reached, once everything listens.</summary>
internal sealed class StartupReporter(
    IHostApplicationLifetime lifetime,
    ILocalSiloDetails silo,
    IServer server,
    IOptions<WebOptions> web,
    IOptions<DashboardEndpointOptions> dashboard,
    IOptions<OrleansFsClusterOptions> cluster,
    ILogger<StartupReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Report);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        string webAddress = addresses.FirstOrDefault(a => new Uri(a).Port == web.Value.Port) ?? "off";
        string dashboardAddress = addresses.FirstOrDefault(a => new Uri(a).Port == dashboard.Value.Port) ?? "off";
        logger.LogInformation(
            "OrleansFs silo {SiloName} started: silo={SiloEndpoint} gateway={GatewayEndpoint} web={WebAddress} dashboard={DashboardAddress} cluster={ClusterId} membership={Membership}",
            silo.Name, silo.SiloAddress.Endpoint, silo.GatewayAddress?.Endpoint, webAddress, dashboardAddress,
            cluster.Value.Id, cluster.Value.ParsedMembership);
    }
}
