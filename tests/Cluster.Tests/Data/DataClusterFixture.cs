using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansFs.Client.Streams;
using OrleansFs.Grains.Blocks;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Data;

/// <summary>
/// Two in-process silos with the real master and journal, each with its own memory tier directory,
/// sharing one under-storage.
/// </summary>
public class DataClusterFixture : IAsyncLifetime
{
    public const long MemoryBytes = 768L << 20;
    private readonly TempDirectory _temp = new("ofs-data-cluster");

    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IClusterClient Client => Cluster.Client;
    public string UnderStorageRoot => _temp.Combine("ufs");

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((options, silo) =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["Worker:MemoryDirectory"] = _temp.Combine("mem", options.SiloName),
                ["Worker:MemoryBytes"] = MemoryBytes.ToString(),
                ["UnderStorage:Directory"] = UnderStorageRoot,
                ["Journal:Directory"] = _temp.Combine("journal"),
                ["Journal:Fsync"] = "false",
                ["Master:TtlCheckPeriod"] = "00:00:00.500",
            };
            Configure(settings);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            silo.AddOrleansFs(configuration);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>More settings for every silo (a derived fixture turns security on).</summary>
    protected virtual void Configure(Dictionary<string, string?> settings) { }

    public virtual FileDataClient Files => new(Client);

    public BlockStore StoreOf(SiloAddress silo) => Cluster.GetSiloServiceProvider(silo).GetRequiredService<BlockStore>();

    public IUnderStorage UnderStorage => Cluster.GetSiloServiceProvider(Cluster.GetActiveSilos().First().SiloAddress)
        .GetRequiredService<IUnderStorage>();

    public virtual async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _temp.Dispose();
    }
}
