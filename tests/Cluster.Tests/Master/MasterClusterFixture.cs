using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using OrleansFs.Grains.Hosting;
using OrleansFs.Master;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Master;

/// <summary>
/// In-process silos running the real master on the real directory journal (fsync on) in a temp directory.
/// </summary>
public class MasterClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("ofs-master-cluster");
    private readonly int _silos;

    public MasterClusterFixture() : this(1) { }

    protected MasterClusterFixture(int silos) => _silos = silos;

    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IMasterGrain Master => Cluster.Client.GetGrain<IMasterGrain>(IMasterGrain.Key);
    public string JournalDirectory => _temp.Combine("journal");

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder((short)_silos);
        builder.ConfigureSilo((options, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Journal:Directory"] = JournalDirectory,
                ["Journal:CheckpointRecords"] = "50",
                ["Master:TtlCheckPeriod"] = "00:00:00.200",
                ["Worker:MemoryDirectory"] = _temp.Combine("mem", options.SiloName),
                ["Worker:MemoryBytes"] = (64L << 20).ToString(),
                ["UnderStorage:Directory"] = _temp.Combine("ufs"),
            }).Build();
            silo.AddOrleansFs(configuration);
            ConfigureSilo(silo);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>Runs after <c>AddOrleansFs</c>, so a registration here replaces the default one.</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo) { }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _temp.Dispose();
    }
}
