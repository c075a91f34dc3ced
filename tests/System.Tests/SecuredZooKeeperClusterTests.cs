using System.Net.Http;
using System.Text;
using System.Text.Json;
using OrleansFs.ZooKeeper;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests;

/// <summary>
/// Two real silos started with <c>--ZooKeeper:Auth=digest:ofs:...</c> against a real ZooKeeper: they form the
/// cluster, and a ZooKeeper client without the credentials can read the membership (to find gateways) but cannot
/// change or delete it, nor touch the master's epochs.
/// </summary>
public sealed class SecuredZooKeeperClusterTests(SecuredZooKeeperClusterTests.Cluster cluster) : IClassFixture<SecuredZooKeeperClusterTests.Cluster>
{
    private const string User = "ofs";
    private const string Password = "pw-7f3a9c-do-not-log";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Silos_with_credentials_form_one_cluster_that_ofs_finds_without_them()
    {
        var report = await WaitForReportAsync(r => cluster.Silos.All(s => ReportsActive(r, s)));
        var mkdir = await OfsAsync("mkdir", $"/secured-{Guid.NewGuid():N}");

        Assert.All(cluster.Silos, s => Assert.True(ReportsActive(report, s), $"{s.SiloAddress} not Active in:\n{report}"));
        Assert.Equal(0, mkdir.ExitCode); // the master took its journal epoch in the locked-down nodes
    }

    [Fact]
    public async Task A_client_without_credentials_gets_NoAuth_on_every_membership_and_epoch_write()
    {
        await WaitForReportAsync(r => cluster.Silos.All(s => ReportsActive(r, s)));
        await using var stranger = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectionString = cluster.ConnectionString });
        await using var owner = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = cluster.ConnectionString,
            Auth = [ZooKeeperAuth.Digest(User, Password)],
        });
        var rows = (await stranger.GetChildrenAsync("/ofs")).Children;
        var targets = new List<string> { "/ofs" };
        foreach (var row in rows) targets.AddRange(["/ofs/" + row, "/ofs/" + row + "/IAmAlive"]);
        var epoch = await owner.GetDataAsync("/ofs-journal/ofs/epoch");

        foreach (var path in targets)
        {
            Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.SetDataAsync(path, Encoding.UTF8.GetBytes("{}")))).Code);
            Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.DeleteAsync(path))).Code);
        }
        Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.GetDataAsync("/ofs-journal/ofs/epoch"))).Code);
        Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.SetDataAsync("/ofs-journal/ofs/epoch", new byte[8]))).Code);
        Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.DeleteAsync("/ofs-journal/ofs"))).Code);
        Assert.Equal(cluster.Silos.Count, rows.Count);
        Assert.Equal(8, epoch.Data.Length);
        Assert.True(epoch.Stat.Version >= 1, "the master has taken at least one epoch");
        Assert.Equal(epoch.Stat.Version, (await owner.GetDataAsync("/ofs-journal/ofs/epoch")).Stat.Version);
    }

    [Fact]
    public async Task The_password_is_redacted_in_the_config_api_and_never_logged()
    {
        using var http = new HttpClient { BaseAddress = cluster.Silos[0].WebAddress };

        string body = await http.GetStringAsync("/api/v1/config");

        Assert.DoesNotContain(Password, body);
        var settings = JsonDocument.Parse(body).RootElement.GetProperty("settings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("key").GetString()!);
        Assert.Equal("***redacted***", settings["ZooKeeper:Auth"].GetProperty("value").GetString());
        foreach (var silo in cluster.Silos)
        {
            // The harness writes the command line it ran at the top of each start; the silo's own output follows.
            var logged = silo.ReadLog().Split('\n').Where(l => !l.StartsWith("=====", StringComparison.Ordinal));
            Assert.DoesNotContain(logged, l => l.Contains(Password, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task With_reads_locked_too_ofs_needs_the_credentials_and_says_so_without_them()
    {
        string connectionString = cluster.ZooKeeperHosts + "/orleansfs/private";
        await using var silo = await SiloProcess.StartAsync(
        [
            "--Cluster:Membership=ZooKeeper",
            $"--ZooKeeper:ConnectionString={connectionString}",
            $"--ZooKeeper:Auth=digest:{User}:{Password}",
            "--ZooKeeper:WorldReadable=false",
        ]);

        var anonymous = await OfsRunner.RunRawAsync(["--zookeeper", connectionString, "report"]);
        var withVariable = await OfsRunner.RunRawAsync(["--zookeeper", connectionString, "report"],
            new Dictionary<string, string> { ["OFS_ZOOKEEPER_AUTH"] = $"digest:{User}:{Password}" });
        var withOption = await OfsRunner.RunRawAsync(["--zookeeper", connectionString, "--zookeeper-auth", $"digest:{User}:{Password}", "ls", "/"]);

        Assert.NotEqual(0, anonymous.ExitCode);
        var line = Assert.Single(anonymous.StderrLines);
        Assert.StartsWith("ofs: ", line);
        Assert.Contains("credentials", line);
        Assert.True(ReportsActive(withVariable, silo), withVariable.ToString());
        Assert.Equal(0, withOption.ExitCode);
    }

    private Task<OfsResult> OfsAsync(params string[] args) => OfsRunner.RunRawAsync(["--zookeeper", cluster.ConnectionString, .. args]);

    private Task<OfsResult> WaitForReportAsync(Func<OfsResult, bool> done) => OfsReport.WaitAsync(cluster.ConnectionString, Patience, done);

    private static bool ReportsActive(OfsResult report, SiloProcess silo) => OfsReport.ShowsActive(report, silo);

    /// <summary>A standalone ZooKeeper and two silos sharing one journal and under-storage, all with the same credentials.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        private readonly TempDirectory _shared = new("ofs-zk-secured");
        private ZooKeeperEnsemble? _zooKeeper;

        public string ZooKeeperHosts => _zooKeeper!.ConnectionString;

        public string ConnectionString => ZooKeeperHosts + "/orleansfs/secured";

        public List<SiloProcess> Silos { get; } = [];

        public async Task InitializeAsync()
        {
            try
            {
                _zooKeeper = await ZooKeeperEnsemble.StartStandaloneAsync();
                Silos.Add(await StartSiloAsync());
                Silos.Add(await StartSiloAsync());
            }
            catch
            {
                await DisposeAsync();
                throw;
            }
        }

        public async Task DisposeAsync()
        {
            foreach (var silo in Silos) await silo.DisposeAsync();
            if (_zooKeeper is not null) await _zooKeeper.DisposeAsync();
            _shared.Dispose();
        }

        private Task<SiloProcess> StartSiloAsync() => SiloProcess.StartAsync(
        [
            "--Cluster:Membership=ZooKeeper",
            $"--ZooKeeper:ConnectionString={ConnectionString}",
            $"--ZooKeeper:Auth=digest:{User}:{Password}",
            $"--Journal:Directory={_shared.Combine("journal")}",
            $"--UnderStorage:Directory={_shared.Combine("ufs")}",
        ]);
    }
}
