using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Lineage.Checkpoint;

/// <summary>Checkpoint policy settings that cannot work, refused at startup with the key to fix.</summary>
public sealed class LineageCheckpointOptionsValidator : IValidateOptions<LineageCheckpointOptions>
{
    public ValidateOptionsResult Validate(string? name, LineageCheckpointOptions options)
    {
        var positive = new (string Key, TimeSpan Value)[]
        {
            ("Lineage:Checkpoint:Interval", options.Interval),
            ("Lineage:Checkpoint:MaxChainRecomputeTime", options.MaxChainRecomputeTime),
        };
        foreach (var (key, value) in positive)
        {
            if (value <= TimeSpan.Zero) return ValidateOptionsResult.Fail($"{key} {value} must be positive");
        }
        if (options.AssumedRunTime < TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"Lineage:Checkpoint:AssumedRunTime {options.AssumedRunTime} must not be negative");
        if (options.MaxPersistsPerPass <= 0)
            return ValidateOptionsResult.Fail($"Lineage:Checkpoint:MaxPersistsPerPass {options.MaxPersistsPerPass} must be positive");
        return ValidateOptionsResult.Success;
    }
}
