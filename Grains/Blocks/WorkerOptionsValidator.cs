using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Blocks;

/// <summary>Block-store settings that cannot work, refused at startup with the key to fix.</summary>
public sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        if (options.MemoryBytes < 0)
            return ValidateOptionsResult.Fail($"Worker:MemoryBytes {options.MemoryBytes} must not be negative");
        if (options.DiskBytes < 0)
            return ValidateOptionsResult.Fail($"Worker:DiskBytes {options.DiskBytes} must not be negative");
        if (options.DataPort is < 0 or > 65535)
            return ValidateOptionsResult.Fail($"Worker:DataPort {options.DataPort} must be 0 (pick a free port) or a TCP port up to 65535");
        if (options.DataIdleTimeout <= TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"Worker:DataIdleTimeout {options.DataIdleTimeout} must be positive");
        if (options.ScrubInterval < TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"Worker:ScrubInterval {options.ScrubInterval} must not be negative (zero turns the periodic scrub off)");
        if (options.ScrubBytesPerSecond <= 0)
            return ValidateOptionsResult.Fail($"Worker:ScrubBytesPerSecond {options.ScrubBytesPerSecond} must be positive");
        if (string.IsNullOrWhiteSpace(options.Name))
            return ValidateOptionsResult.Fail("Worker:Name must not be empty");
        return ValidateOptionsResult.Success;
    }
}
