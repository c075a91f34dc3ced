using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace OrleansFs.Client.Hosting;

/// <summary>
/// While the client connects, Orleans fetches the cluster's type manifest from one gateway, and when that gateway does
/// not answer (its host vanished) waits the shorter of <see cref="TypeManagementOptions.TypeMapRefreshInterval"/> and
/// 5 s before it tries another: as long as `ofs` waits in all. So the interval is short while connecting, and this
/// service, which starts once the Orleans client has connected, puts Orleans' default back for the periodic refresh.
/// </summary>
internal sealed class ManifestRefreshAfterConnect(IOptions<TypeManagementOptions> options) : IHostedService
{
    public static readonly TimeSpan WhileConnecting = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Default = new TypeManagementOptions().TypeMapRefreshInterval;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The manifest provider reads the interval from this instance on each round.
        options.Value.TypeMapRefreshInterval = Default;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
