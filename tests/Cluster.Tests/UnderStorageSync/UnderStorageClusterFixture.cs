using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansFs.Client.Streams;
using OrleansFs.Grains.Blocks;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Master.Cleanup;
using OrleansFs.Grains.UnderStorage;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Master;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.UnderStorageSync;

/// <summary>
/// Two in-process silos with the real master, journal, block stores and one shared under-storage directory,
/// which the tests look at on disk. Metadata sync runs on every listing (interval 0).
/// </summary>
public sealed class UnderStorageClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("ofs-ufs-cluster");

    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IClusterClient Client => Cluster.Client;
    public IMasterGrain Master => Client.GetGrain<IMasterGrain>(IMasterGrain.Key);
    public FileDataClient Files => new(Client);
    public string UnderStorageRoot => _temp.Combine("ufs");
    /// <summary>While paused, every master's cleanups fail as a disk error would (and are retried).</summary>
    public CleanupGate Gate { get; } = new();
    /// <summary>Makes under-storage calls below a path hang on every silo.</summary>
    public UnderStorageHold Hold { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((options, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                // Per port, as the silo host does: the test cluster may name a silo started after a stop like the
                // stopped one, and a directory per name would hand it the stopped worker's blocks.
                ["Worker:MemoryDirectory"] = _temp.Combine("mem", options.SiloPort.ToString()),
                ["Worker:MemoryBytes"] = (256L << 20).ToString(),
                ["UnderStorage:Directory"] = UnderStorageRoot,
                ["Journal:Directory"] = _temp.Combine("journal"),
                ["Journal:Fsync"] = "false",
                ["Master:TtlCheckPeriod"] = "00:00:00.500",
                ["Master:MetadataSyncInterval"] = "00:00:00",
            }).Build();
            silo.AddOrleansFs(configuration);
            silo.Services.AddSingleton<IUnderStorage>(services => new HeldUnderStorage(Hold,
                ActivatorUtilities.CreateInstance<DirectoryUnderStorage>(services, UnderStorageIoScheduler.Shared), UnderStorageIoScheduler.Shared));
            silo.Services.AddSingleton<ICleanupEffects>(services => new GatedCleanupEffects(Gate,
                new UnderStorageCleanupEffects(services.GetService<IUnderStorage>(), services.GetRequiredService<IGrainFactory>(), NullLogger.Instance)));
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>The file's local path in the under-storage directory.</summary>
    public string OnDisk(string path) => Path.Join(UnderStorageRoot, path);

    /// <summary>Blocks of these inodes held in any silo's memory tier.</summary>
    public int BlocksInMemory(params long[] inodeIds) => Cluster.Silos
        .Select(s => Cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<BlockStore>())
        .Sum(store => store.BlockIds().Count(id => inodeIds.Contains(id >> 24)));

    /// <summary>Blocks of these inodes held in one silo's memory tier.</summary>
    public int BlocksInMemory(InProcessSiloHandle silo, params long[] inodeIds) =>
        Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<BlockStore>().BlockIds().Count(id => inodeIds.Contains(id >> 24));

    /// <summary>Drops these inodes' blocks from every silo's memory, as the death of the worker holding them would.</summary>
    public void LoseBlocks(long inodeId)
    {
        foreach (var silo in Cluster.Silos)
        {
            var store = Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<BlockStore>();
            foreach (long id in store.BlockIds().Where(id => id >> 24 == inodeId).ToList()) store.Remove(id);
        }
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _temp.Dispose();
    }
}
