using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Hosting;

/// <summary>A malformed `ZooKeeper:Auth` stops the silo, even when ZooKeeper is not used, with a line that does not repeat it.</summary>
public sealed class ZooKeeperOptionsValidator : IValidateOptions<ZooKeeperOptions>
{
    public ValidateOptionsResult Validate(string? name, ZooKeeperOptions options)
    {
        try
        {
            options.AuthEntries();
            return ValidateOptionsResult.Success;
        }
        catch (FormatException e)
        {
            return ValidateOptionsResult.Fail($"ZooKeeper:Auth: {e.Message}");
        }
    }
}
