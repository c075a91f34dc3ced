using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OrleansFs.Silo.Configuration;

namespace OrleansFs.Silo.Hosting;

/// <summary>Logs the one line an operator looks for: where this silo can be reached, once everything listens.</summary>
internal sealed class StartupReporter(
    IHostApplicationLifetime lifetime,
    ILocalSiloDetails silo,
    IServer server,
    SiloConfiguration configuration,
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
        var web = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        string webAddress = web.FirstOrDefault(a => new Uri(a).Port == configuration.Web.Port) ?? "off";
        string dashboard = web.FirstOrDefault(a => new Uri(a).Port == configuration.Dashboard.Port) ?? "off";
        logger.LogInformation(
            "OrleansFs silo {SiloName} started: silo={SiloEndpoint} gateway={GatewayEndpoint} web={WebAddress} dashboard={DashboardAddress} cluster={ClusterId} membership={Membership}",
            silo.Name, silo.SiloAddress.Endpoint, silo.GatewayAddress?.Endpoint, webAddress, dashboard,
            configuration.Cluster.Id, configuration.Membership);
    }
}
