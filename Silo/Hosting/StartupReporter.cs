using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Hosting;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Hosting;

/// <summary>Logs the one line an operator looks for: where this silo can be reached, once everything listens.</summary>
internal sealed partial class StartupReporter(
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
        LogStarted(logger,
            silo.Name, silo.SiloAddress.Endpoint, (object?)silo.GatewayAddress?.Endpoint ?? "(null)", webAddress, dashboardAddress,
            cluster.Value.Id, (object?)cluster.Value.ParsedMembership ?? "(null)");
    }

    // Over six values the generated formatter prints null as nothing: a silo without a gateway is passed as "(null)",
    // the text this line has always had.
    [LoggerMessage(EventId = 1900, Level = LogLevel.Information,
        Message = "OrleansFs silo {SiloName} started: silo={SiloEndpoint} gateway={GatewayEndpoint} web={WebAddress} dashboard={DashboardAddress} cluster={ClusterId} membership={Membership}")]
    private static partial void LogStarted(ILogger logger, string siloName, System.Net.IPEndPoint siloEndpoint, object gatewayEndpoint,
        string webAddress, string dashboardAddress, string clusterId, object membership);
}
