using System.Runtime.InteropServices;
using OrleansFs.Tests.Network;

namespace OrleansFs.TestSupport;

/// <summary>
/// A whole OrleansFs cluster of real processes on loopback: a ZooKeeper ensemble and N silos with
/// `Cluster:Membership=ZooKeeper` (or, from <see cref="StartPostgreSqlAsync"/>, a PostgreSQL database and
/// `Cluster:Membership=PostgreSql`), one shared journal directory and one shared under-storage directory, as
/// `deploy/local-cluster.sh` lays them out. Silos can be SIGKILLed, SIGTERMed, SIGSTOPped and restarted;
/// dispose stops every process by its PID.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    public const int SigCont = 18;
    public const int SigStop = 19;
    /// <summary>Generous: on a busy 2-core machine a silo can take a minute to join.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _root;
    private readonly ZooKeeperEnsemble? _zooKeeper;
    private bool _zooKeeperTls;
    private HostNetwork? _network;

    private ClusterProcesses(TempDirectory root, ZooKeeperEnsemble? zooKeeper, string? postgreSqlConnectionString)
    {
        _root = root;
        _zooKeeper = zooKeeper;
        PostgreSqlConnectionString = postgreSqlConnectionString;
    }

    public ZooKeeperEnsemble ZooKeeper =>
        _zooKeeper ?? throw new InvalidOperationException("this cluster's membership is in PostgreSQL, not ZooKeeper");

    /// <summary>The membership database of a cluster from <see cref="StartPostgreSqlAsync"/>; null with ZooKeeper.</summary>
    public string? PostgreSqlConnectionString { get; }

    /// <summary>How `ofs` finds this cluster's gateways: `--zookeeper ...` or `--postgres ...`.</summary>
    public string[] ClientArguments => PostgreSqlConnectionString is { } postgres
        ? ["--postgres", postgres]
        : ["--zookeeper", ZooKeeperConnectionString];
    public List<SiloProcess> Silos { get; } = [];

    /// <summary>The bridge and namespaces of a cluster from <see cref="StartInNamespacesAsync"/> (one host per silo); null on loopback.</summary>
    public HostNetwork Network => _network ?? throw new InvalidOperationException("this cluster runs on loopback, not in network namespaces");
    public string JournalDirectory => _root.Combine("shared", "journal");
    public string UnderStorageDirectory => _root.Combine("shared", "ufs");

    /// <summary>What clients and silos use: every ensemble member plus the cluster's chroot.</summary>
    public string ZooKeeperConnectionString => (_zooKeeperTls ? ZooKeeper.SecureConnectionString : ZooKeeper.ConnectionString) + "/ofs-test";

    /// <summary>Starts the ensemble, then one silo (it creates the master), then the rest together.</summary>
    /// <summary>With <paramref name="zooKeeperTls"/> the ensemble has secure client ports, and silos and clients use only those.</summary>
    public static async Task<ClusterProcesses> StartAsync(int silos = 3, int zooKeeperMembers = 3, IEnumerable<string>? extraSiloArguments = null,
        Tls.ZooKeeperServerTls? zooKeeperTls = null) =>
        await StartSilosAsync(new ClusterProcesses(new TempDirectory("ofs-cluster"), await ZooKeeperEnsemble.StartAsync(zooKeeperMembers, zooKeeperTls), null)
            { _zooKeeperTls = zooKeeperTls is not null }, silos, extraSiloArguments);

    /// <summary>
    /// The same cluster with each silo on its own host (<see cref="HostNetwork"/>: a network namespace on a bridge),
    /// ZooKeeper in the root namespace listening on the bridge address. Faults go through <see cref="Network"/>.
    /// </summary>
    public static async Task<ClusterProcesses> StartInNamespacesAsync(int silos = 3, int zooKeeperMembers = 3, IEnumerable<string>? extraSiloArguments = null)
    {
        var network = HostNetwork.Create(silos);
        ZooKeeperEnsemble zooKeeper;
        try
        {
            zooKeeper = await ZooKeeperEnsemble.StartAsync(zooKeeperMembers, clientAddress: network.BridgeAddress);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        network.ZooKeeperPorts = zooKeeper.Members.Select(m => m.ClientPort).ToList();
        return await StartSilosAsync(new ClusterProcesses(new TempDirectory("ofs-cluster"), zooKeeper, null) { _network = network }, silos, extraSiloArguments);
    }

    /// <summary>
    /// The same cluster with its membership in the PostgreSQL database <paramref name="connectionString"/> (the
    /// caller owns the server): no ZooKeeper. The first silo applies the schema.
    /// </summary>
    public static Task<ClusterProcesses> StartPostgreSqlAsync(string connectionString, int silos = 3, IEnumerable<string>? extraSiloArguments = null) =>
        StartSilosAsync(new ClusterProcesses(new TempDirectory("ofs-cluster"), null, connectionString), silos, extraSiloArguments);

    private static async Task<ClusterProcesses> StartSilosAsync(ClusterProcesses cluster, int silos, IEnumerable<string>? extraSiloArguments)
    {
        var root = cluster._root;
        try
        {
            var extra = extraSiloArguments?.ToList() ?? [];
            for (int i = 1; i <= silos; i++)
                cluster.Silos.Add(SiloProcess.Create(cluster.SiloArguments(extra), root.Combine($"silo-{i}"), cluster._network?.Hosts[i - 1]));
            await cluster.Silos[0].StartProcessAsync(ReadyTimeout);
            await Task.WhenAll(cluster.Silos.Skip(1).Select(s => s.StartProcessAsync(ReadyTimeout)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The silo whose Orleans endpoint is <paramref name="siloAddress"/> (`address:port`, as MasterInfo gives it).</summary>
    public SiloProcess SiloAt(string siloAddress) =>
        Silos.SingleOrDefault(s => s.SiloAddress == siloAddress)
        ?? throw new InvalidOperationException($"no silo of this cluster is at {siloAddress}; silos: {string.Join(", ", Silos.Select(s => s.SiloAddress))}");

    /// <summary>Restarts every silo that is not running (after kills) and waits until each is ready.</summary>
    public async Task HealAsync()
    {
        foreach (var silo in Silos.Where(s => !s.IsRunning)) await silo.StartProcessAsync(ReadyTimeout);
        if (_zooKeeper is not null) await _zooKeeper.HealAsync();
    }

    /// <summary>Sends a signal (SIGSTOP, SIGCONT) to a silo process.</summary>
    public static void Signal(SiloProcess silo, int signal)
    {
        if (SendSignal(silo.ProcessId, signal) != 0)
            throw new InvalidOperationException($"kill -{signal} {silo.ProcessId} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            if (silo.IsRunning) SendSignal(silo.ProcessId, SigCont); // a stopped process cannot act on SIGKILL's cleanup
            await silo.DisposeAsync();
        }
        if (_zooKeeper is not null) await _zooKeeper.DisposeAsync();
        _network?.Dispose();
        // OFS_KEEP_TEST_DIRS=1 keeps the silo logs and the journal for a post-mortem.
        if (Environment.GetEnvironmentVariable("OFS_KEEP_TEST_DIRS") != "1") _root.Dispose();
    }

    private List<string> SiloArguments(List<string> extra) =>
    [
        .. PostgreSqlConnectionString is { } postgres
            ? (string[])["--Cluster:Membership=PostgreSql", $"--PostgreSql:ConnectionString={postgres}"]
            : ["--Cluster:Membership=ZooKeeper", $"--ZooKeeper:ConnectionString={ZooKeeperConnectionString}"],
        $"--Journal:Directory={JournalDirectory}",
        $"--UnderStorage:Directory={UnderStorageDirectory}",
        // Four silos' worth of block memory on one test machine: keep each small.
        "--Worker:MemoryBytes=268435456",
        .. extra,
    ];

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
