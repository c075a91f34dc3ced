using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansFs.Grains.Failover;
using OrleansFs.Grains.Master.Lease;

namespace OrleansFs.Tests.Master.Lease;

public sealed class MasterLeaseOptionsValidatorTests
{
    [Fact]
    public void The_detection_time_is_the_missed_probes_times_the_shortest_probe_timeout()
    {
        var membership = Membership(new FailoverOptions { NumMissedProbesLimit = 3, MinProbeTimeout = TimeSpan.FromMilliseconds(400) });

        Assert.Equal(TimeSpan.FromMilliseconds(1200), DetectionTime.Floor(membership));
    }

    [Fact]
    public void The_default_lease_is_three_quarters_of_the_detection_time_with_the_shipped_failover_settings()
    {
        var membership = Membership(new FailoverOptions());
        var options = new MasterLeaseOptions();

        var result = new MasterLeaseOptionsValidator(Options.Create(membership)).Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(DetectionTime.Floor(membership) * 3 / 4, options.LengthFor(DetectionTime.Floor(membership)));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(5000)]
    public void A_lease_not_shorter_than_the_detection_time_is_refused_naming_both(int lengthMs)
    {
        var membership = Membership(new FailoverOptions()); // 2 × 0.5 s
        var options = new MasterLeaseOptions { Length = TimeSpan.FromMilliseconds(lengthMs) };

        var result = new MasterLeaseOptionsValidator(Options.Create(membership)).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Master:Lease:Length", result.FailureMessage);
        Assert.Contains("detection time 00:00:01", result.FailureMessage);
    }

    [Fact]
    public void A_lease_shorter_than_the_detection_time_is_accepted()
    {
        var options = new MasterLeaseOptions { Length = TimeSpan.FromMilliseconds(900) };

        var result = new MasterLeaseOptionsValidator(Options.Create(Membership(new FailoverOptions()))).Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void A_slower_detection_setting_allows_a_longer_lease()
    {
        var membership = Membership(new FailoverOptions { NumMissedProbesLimit = 3, MinProbeTimeout = TimeSpan.FromSeconds(1), ProbeTimeout = TimeSpan.FromSeconds(2), MaxProbeTimeout = TimeSpan.FromSeconds(4) });
        var options = new MasterLeaseOptions { Length = TimeSpan.FromMilliseconds(2500) };

        Assert.True(new MasterLeaseOptionsValidator(Options.Create(membership)).Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(0)]
    public void A_lease_too_short_to_renew_is_refused(int lengthMs)
    {
        var options = new MasterLeaseOptions { Length = TimeSpan.FromMilliseconds(lengthMs) };

        var result = new MasterLeaseOptionsValidator(Options.Create(Membership(new FailoverOptions()))).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Master:Lease:Length", result.FailureMessage);
    }

    [Fact]
    public void A_step_down_delay_that_is_not_positive_is_refused()
    {
        var options = new MasterLeaseOptions { StepDownAfter = TimeSpan.Zero };

        var result = new MasterLeaseOptionsValidator(Options.Create(Membership(new FailoverOptions()))).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Master:Lease:StepDownAfter", result.FailureMessage);
    }

    private static ClusterMembershipOptions Membership(FailoverOptions failover)
    {
        var membership = new ClusterMembershipOptions();
        failover.Apply(membership);
        return membership;
    }
}
