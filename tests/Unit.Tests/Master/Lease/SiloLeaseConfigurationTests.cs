using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Failover.Exit;
using OrleansFs.Grains.Master.Lease;
using OrleansFs.Silo.Hosting;

namespace OrleansFs.Tests.Master.Lease;

/// <summary>The silo as an operator starts it (built, not run): the lease setting is checked against the failover settings.</summary>
public sealed class SiloLeaseConfigurationTests
{
    [Fact]
    public void A_silo_refuses_to_start_with_a_lease_not_shorter_than_the_detection_time()
    {
        var error = Assert.ThrowsAny<Exception>(() => OrleansFsSiloHost.Build(["--Master:Lease:Length=00:00:02"]));

        string message = error is AggregateException many ? string.Join(" | ", many.InnerExceptions.Select(e => e.Message)) : error.Message;
        Assert.Contains("Master:Lease:Length 00:00:02 must be shorter than the detection time 00:00:01", message);
    }

    [Fact]
    public void A_slower_detection_setting_lets_a_silo_start_with_a_longer_lease()
    {
        using var app = (IDisposable)OrleansFsSiloHost.Build(["--Master:Lease:Length=00:00:02", "--Failover:MinProbeTimeout=00:00:01", "--Failover:NumMissedProbesLimit=3",
            "--Failover:ProbeTimeout=00:00:02", "--Failover:MaxProbeTimeout=00:00:04"]);

        var services = ((Microsoft.AspNetCore.Builder.WebApplication)app).Services;
        Assert.Equal(TimeSpan.FromSeconds(2), services.GetRequiredService<IOptions<MasterLeaseOptions>>().Value.Length);
    }

    [Fact]
    public void A_silo_exits_through_its_own_fatal_error_handler_not_Orleans_delayed_fail_fast()
    {
        using var app = (IDisposable)OrleansFsSiloHost.Build([]);

        var services = ((Microsoft.AspNetCore.Builder.WebApplication)app).Services;
        Assert.IsType<SiloExitOnFatalError>(services.GetRequiredService<IFatalErrorHandler>());
    }
}
