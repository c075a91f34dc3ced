using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
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
        builder.ConfigureSilo((_, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Journal:Directory"] = JournalDirectory,
                ["Journal:CheckpointRecords"] = "50",
                ["Master:TtlCheckPeriod"] = "00:00:00.200",
            }).Build();
            silo.Services.AddOrleansFsMaster(configuration);
            silo.Services.AddOrleansFsJournal(configuration);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _temp.Dispose();
    }
}
