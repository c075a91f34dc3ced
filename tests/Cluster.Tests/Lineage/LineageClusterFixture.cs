using Microsoft.Extensions.DependencyInjection;
using OrleansFs.Grains.Lineage;
using OrleansFs.Tests.Master;

namespace OrleansFs.Tests.Lineage;

/// <summary>The master's in-process cluster, with jobs checked by <see cref="AnyInProcessJobValidator"/>.</summary>
public class LineageClusterFixture : MasterClusterFixture
{
    public LineageClusterFixture() : this(1) { }

    protected LineageClusterFixture(int silos) : base(silos) { }

    protected override void ConfigureSilo(ISiloBuilder silo) =>
        silo.Services.AddSingleton<ILineageJobValidator, AnyInProcessJobValidator>();
}
