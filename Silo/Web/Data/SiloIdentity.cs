using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace OrleansFs.Silo.Web.Data;

/// <summary>Who this silo is: cluster, address and when its process started.</summary>
public sealed class SiloIdentity(ILocalSiloDetails silo, IOptions<ClusterOptions> cluster)
{
    public string ClusterId => cluster.Value.ClusterId;
    public string ServiceId => cluster.Value.ServiceId;
    public SiloAddress SiloAddress => silo.SiloAddress;
    public string Address => SiloAddresses.Format(silo.SiloAddress);
    public DateTimeOffset StartedAt { get; } = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime(), TimeSpan.Zero);
    public TimeSpan Uptime => DateTimeOffset.UtcNow - StartedAt;
}
