using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansFs.Grains.Master.Handoff;

/// <summary>
/// Lets <see cref="MasterDirectory"/> use Orleans' silo-builder extensions from <c>AddOrleansFsMaster</c>, which
/// every host (the silo process and the in-process test clusters) calls with the silo's service collection.
/// </summary>
internal sealed class ServiceCollectionSiloBuilder(IServiceCollection services) : ISiloBuilder
{
    public IServiceCollection Services { get; } = services;
    public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
}
