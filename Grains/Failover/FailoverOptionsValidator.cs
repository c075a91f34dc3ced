using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Failover;

/// <summary>Failure-detection settings Orleans could not run with, refused at startup with the key to fix.</summary>
public sealed class FailoverOptionsValidator : IValidateOptions<FailoverOptions>
{
    public ValidateOptionsResult Validate(string? name, FailoverOptions options)
    {
        var positive = new (string Key, TimeSpan Value)[]
        {
            ("Failover:ProbeTimeout", options.ProbeTimeout),
            ("Failover:MinProbeTimeout", options.MinProbeTimeout),
            ("Failover:IAmAliveTablePublishTimeout", options.IAmAliveTablePublishTimeout),
            ("Failover:TableRefreshTimeout", options.TableRefreshTimeout),
            ("Failover:DeathVoteExpirationTimeout", options.DeathVoteExpirationTimeout),
        };
        foreach (var (key, value) in positive)
        {
            if (value <= TimeSpan.Zero) return ValidateOptionsResult.Fail($"{key} {value} must be positive");
        }
        // Orleans' adaptive probe timeout stays within Min..Max, starting from ProbeTimeout.
        if (options.MinProbeTimeout > options.ProbeTimeout)
            return ValidateOptionsResult.Fail(
                $"Failover:MinProbeTimeout {options.MinProbeTimeout} must not exceed Failover:ProbeTimeout {options.ProbeTimeout}");
        if (options.ProbeTimeout > options.MaxProbeTimeout)
            return ValidateOptionsResult.Fail(
                $"Failover:ProbeTimeout {options.ProbeTimeout} must not exceed Failover:MaxProbeTimeout {options.MaxProbeTimeout}");
        if (options.TcpUserTimeout < TimeSpan.Zero || options.TcpUserTimeout > TimeSpan.FromMilliseconds(int.MaxValue))
            return ValidateOptionsResult.Fail($"Failover:TcpUserTimeout {options.TcpUserTimeout} must be zero (off) or a positive time under 24 days");
        if (options.NumMissedProbesLimit < 1)
            return ValidateOptionsResult.Fail($"Failover:NumMissedProbesLimit {options.NumMissedProbesLimit} must be at least 1");
        if (options.NumVotesForDeathDeclaration < 1)
            return ValidateOptionsResult.Fail($"Failover:NumVotesForDeathDeclaration {options.NumVotesForDeathDeclaration} must be at least 1");
        return ValidateOptionsResult.Success;
    }
}
