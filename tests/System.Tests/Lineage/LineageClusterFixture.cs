using OrleansFs.Client;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Lineage;

/// <summary>
/// Three real silos on a real ZooKeeper, set up as an operator would for lineage: the test's job scripts on
/// `Lineage:CommandJobs:Allowed` (copied to a directory of their own and made executable) and the in-process job
/// assembly on `Lineage:JobAssemblies`. Each test heals what the previous one killed.
/// </summary>
public sealed class LineageClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _scripts = new("ofs-lineage-jobs");

    public ClusterProcesses Cluster { get; private set; } = null!;
    public OrleansFsConnection Client { get; private set; } = null!;

    public string Transform => _scripts.Combine("transform.sh");
    public string Fail => _scripts.Combine("fail.sh");
    public string Random => _scripts.Combine("random.sh");
    public static string OfsDll => OfsBuildOutputs.OfsDll;

    public static string JobAssembly => Path.Combine(OfsBuildOutputs.RepositoryRoot, "tests", "LineageJobs.TestSupport", "bin",
        Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!), "net10.0",
        "OrleansFs.LineageJobs.TestSupport.dll");

    public async Task InitializeAsync()
    {
        foreach (string name in new[] { "transform.sh", "fail.sh", "random.sh" })
        {
            string target = _scripts.Combine(name);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Lineage", "Jobs", name), target);
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Cluster = await ClusterProcesses.StartAsync(silos: 3, zooKeeperMembers: 1, extraSiloArguments:
        [
            $"--Lineage:CommandJobs:Allowed:0={Transform}",
            $"--Lineage:CommandJobs:Allowed:1={Fail}",
            $"--Lineage:CommandJobs:Allowed:2={Random}",
            $"--Lineage:JobAssemblies:0={JobAssembly}",
            "--Lineage:RetryBackoff=00:00:01",
            "--Lineage:RecomputeTimeout=00:04:00",
        ]);
        Client = await ConnectAsync();
    }

    /// <summary>A reader as patient as a recompute may take: every call is retried for up to five minutes.</summary>
    public Task<OrleansFsConnection> ConnectAsync() => OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
    {
        ZooKeeperConnectionString = Cluster.ZooKeeperConnectionString,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        CallTimeout = TimeSpan.FromMinutes(5),
        AttemptTimeout = TimeSpan.FromSeconds(40),
        ResponseTimeout = TimeSpan.FromSeconds(40),
    });

    public async Task DisposeAsync()
    {
        if (Client is not null) await Client.DisposeAsync();
        if (Cluster is not null) await Cluster.DisposeAsync();
        _scripts.Dispose();
    }
}
