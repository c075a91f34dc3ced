using Orleans;
using Orleans.Runtime;
using OrleansFs.ZooKeeper;

namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>Fails host start-up with a clear message when the connection string is missing or malformed.</summary>
public sealed class ZooKeeperClusteringOptionsValidator<TOptions>(TOptions options) : IConfigurationValidator
    where TOptions : ZooKeeperClusteringOptions
{
    public void ValidateConfiguration()
    {
        var name = typeof(TOptions).Name;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new OrleansConfigurationException($"{name}.ConnectionString is required (host:port,host:port/chroot).");
        try
        {
            ZooKeeperConnectionString.Parse(options.ConnectionString);
        }
        catch (FormatException ex)
        {
            throw new OrleansConfigurationException($"{name}.ConnectionString: {ex.Message}", ex);
        }
        if (!string.IsNullOrEmpty(options.Auth))
        {
            try
            {
                ZooKeeperAuth.Parse(options.Auth);
            }
            catch (FormatException ex)
            {
                // The message never repeats the value: it is a secret.
                throw new OrleansConfigurationException($"{name}.Auth: {ex.Message}", ex);
            }
        }
        if (options.SessionTimeout <= TimeSpan.Zero)
            throw new OrleansConfigurationException($"{name}.SessionTimeout must be positive, not {options.SessionTimeout}.");
    }
}
