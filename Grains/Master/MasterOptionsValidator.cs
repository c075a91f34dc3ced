using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Master;

/// <summary>Master settings that cannot work, refused at startup with the key to fix.</summary>
public sealed class MasterOptionsValidator : IValidateOptions<MasterOptions>
{
    public ValidateOptionsResult Validate(string? name, MasterOptions options)
    {
        var positive = new (string Key, TimeSpan Value)[]
        {
            ("Master:RetryCacheWindow", options.RetryCacheWindow),
            ("Master:TtlCheckPeriod", options.TtlCheckPeriod),
            ("Master:CleanupWaitTimeout", options.CleanupWaitTimeout),
            ("Master:PersistRecheckPeriod", options.PersistRecheckPeriod),
            ("Master:StandbyPollInterval", options.StandbyPollInterval),
        };
        foreach (var (key, value) in positive)
        {
            if (value <= TimeSpan.Zero) return ValidateOptionsResult.Fail($"{key} {value} must be positive");
        }
        if (options.StandbyReadWait < TimeSpan.Zero || options.StandbyReadWait > TimeSpan.FromSeconds(1))
            return ValidateOptionsResult.Fail($"Master:StandbyReadWait {options.StandbyReadWait} must be between 0 and 00:00:01");
        if (options.StandbyHoldBack < TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"Master:StandbyHoldBack {options.StandbyHoldBack} must not be negative");
        if (options.RetryCacheMaxEntries <= 0)
            return ValidateOptionsResult.Fail($"Master:RetryCacheMaxEntries {options.RetryCacheMaxEntries} must be positive");
        if (options.MetadataSyncBlockSizeBytes <= 0)
            return ValidateOptionsResult.Fail($"Master:MetadataSyncBlockSizeBytes {options.MetadataSyncBlockSizeBytes} must be positive");
        return ValidateOptionsResult.Success;
    }
}
