using System.Net;
using Microsoft.Extensions.Options;
using OrleansFs.Silo.Configuration;

namespace OrleansFs.Silo.Web.Options;

/// <summary>
/// The dashboard's endpoint must be a port of its own, and a dashboard reachable from other machines needs an
/// access token (it shows grain state).
/// </summary>
public sealed class DashboardEndpointOptionsValidator(IOptions<WebOptions> web, IOptions<SiloHostOptions> silo) : IValidateOptions<DashboardEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardEndpointOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        if (!TcpPort.IsValid(options.Port)) return ValidateOptionsResult.Fail(TcpPort.NotAPort("Dashboard:Port", options.Port));
        var taken = new (string Key, int Port)[]
        {
            ("Silo:Port", silo.Value.Port), ("Silo:GatewayPort", silo.Value.GatewayPort), ("Web:Port", web.Value.Port),
        };
        if (TcpPort.Clash(taken, ("Dashboard:Port", options.Port)) is { } clash) return ValidateOptionsResult.Fail(clash);
        if (!IsListenable(options.Host))
            return ValidateOptionsResult.Fail($"Dashboard:Host '{options.Host}' is not an IP address, localhost, * or 0.0.0.0");
        if (!IsLoopback(options.Host) && string.IsNullOrEmpty(options.AccessToken))
            return ValidateOptionsResult.Fail(
                $"Dashboard:Host is {options.Host}, which other machines can reach; the dashboard shows grain state, so set Dashboard:AccessToken or bind it to 127.0.0.1");
        return ValidateOptionsResult.Success;
    }

    private static bool IsListenable(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host == "*" || IPAddress.TryParse(host, out _);

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
