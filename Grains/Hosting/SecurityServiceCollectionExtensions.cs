using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFs.Security;

namespace OrleansFs.Grains.Hosting;

/// <summary>The `Security` section (validated on start) and the one <see cref="CertificateSource"/> every TLS link of the silo uses.</summary>
public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddOrleansFsSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOrleansFsSection<SecurityOptions, SecurityOptionsValidator>(configuration, SecurityOptions.Section);
        services.TryAddSingleton(sp => new CertificateSource(
            sp.GetRequiredService<IOptions<SecurityOptions>>().Value, sp.GetRequiredService<ILogger<CertificateSource>>()));
        return services;
    }
}
