using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace OrleansFs.Grains.Master.Lease;

/// <summary>
/// Refuses a lease that is not shorter than the cluster's detection time (<see cref="DetectionTime"/>): with it, an
/// old master cut off from the cluster could still answer reads after a new master took over.
/// </summary>
public sealed class MasterLeaseOptionsValidator(IOptions<ClusterMembershipOptions> membership) : IValidateOptions<MasterLeaseOptions>
{
    /// <summary>Renewals are a ZooKeeper (or PostgreSQL) round trip each; shorter leases would lapse on ordinary jitter.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(100);

    public ValidateOptionsResult Validate(string? name, MasterLeaseOptions options)
    {
        if (options.StepDownAfter <= TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"Master:Lease:StepDownAfter {options.StepDownAfter} must be positive");
        ClusterMembershipOptions detectionSettings;
        try
        {
            detectionSettings = membership.Value;
        }
        catch (OptionsValidationException)
        {
            // The Failover section is invalid and its own validator says so; this check needs it valid.
            return ValidateOptionsResult.Skip;
        }
        TimeSpan detection = DetectionTime.Floor(detectionSettings);
        TimeSpan length = options.LengthFor(detection);
        if (length < Shortest)
            return ValidateOptionsResult.Fail(options.Length is null
                ? $"Master:Lease:Length defaults to three quarters of the detection time ({detection.TotalMilliseconds:0} ms, " +
                  $"Failover:NumMissedProbesLimit × Failover:MinProbeTimeout), which is below {Shortest.TotalMilliseconds:0} ms; raise Failover:MinProbeTimeout"
                : $"Master:Lease:Length {length} must be at least {Shortest}");
        if (length >= detection)
            return ValidateOptionsResult.Fail(
                $"Master:Lease:Length {length} must be shorter than the detection time {detection} " +
                "(Failover:NumMissedProbesLimit × Failover:MinProbeTimeout): a master cut off from the cluster could still answer after a new one took over");
        return ValidateOptionsResult.Success;
    }
}
