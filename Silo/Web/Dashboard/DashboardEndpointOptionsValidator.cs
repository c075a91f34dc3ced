using System.Net;
using Microsoft.Extensions.Options;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Web.Dashboard;

/// <summary>Refuses to start a dashboard reachable from other machines without an access token.</summary>
public sealed class DashboardEndpointOptionsValidator(IOptions<WebOptions> web) : IValidateOptions<DashboardEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardEndpointOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        if (options.Port is < 1 or > 65535)
            return ValidateOptionsResult.Fail($"Dashboard:Port must be between 1 and 65535, not {options.Port}");
        if (options.Port == web.Value.Port)
            return ValidateOptionsResult.Fail($"Dashboard:Port and Web:Port must differ (both are {options.Port})");
        if (!IsLoopback(options.Host) && string.IsNullOrEmpty(options.AccessToken))
            return ValidateOptionsResult.Fail(
                $"Dashboard:Host is {options.Host}, which other machines can reach; the dashboard shows grain state, so set Dashboard:AccessToken or bind it to 127.0.0.1");
        return ValidateOptionsResult.Success;
    }

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
