using System.Text.Json;
using OrleansFs.ZooKeeper;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests;

/// <summary>Silo processes using ZooKeeper membership, checked the way an operator would: ofs report and zkCli-like reads.</summary>
public sealed class ZooKeeperClusterTests(ZooKeeperClusterFixture cluster) : IClassFixture<ZooKeeperClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Three_silos_form_one_cluster_listed_by_ofs_report_and_visible_as_znodes()
    {
        var report = await WaitForReportAsync(r => cluster.Silos.All(s => ReportsActive(r, s)));

        Assert.Equal(0, report.ExitCode);
        Assert.All(cluster.Silos, s => Assert.True(ReportsActive(report, s), $"{s.SiloAddress} not Active in:\n{report}"));
        var rows = await ReadRowsAsync();
        Assert.All(cluster.Silos, s => Assert.Equal("Active", rows.Single(r => r.Address.StartsWith(s.SiloAddress + "@")).Status));
    }

    [Fact]
    public async Task The_cluster_keeps_serving_when_a_ZooKeeper_member_dies()
    {
        await WaitForReportAsync(r => cluster.Silos.All(s => ReportsActive(r, s)));
        var leader = cluster.ZooKeeper.Members.First(m => m.TryGetModeAsync().GetAwaiter().GetResult() == "leader");
        try
        {
            leader.Kill();
            var directory = $"/zk-survivor-{Guid.NewGuid():N}";

            var mkdir = await OfsAsync("mkdir", directory);
            var report = await WaitForReportAsync(r => cluster.Silos.All(s => ReportsActive(r, s)));
            var ls = await OfsAsync("ls", "/");

            Assert.Equal(0, mkdir.ExitCode);
            Assert.All(cluster.Silos, s => Assert.True(ReportsActive(report, s), $"{s.SiloAddress} not Active in:\n{report}"));
            Assert.Contains(directory.TrimStart('/'), ls.Stdout);
        }
        finally
        {
            await cluster.ZooKeeper.HealAsync();
        }
    }

    [Fact]
    public async Task A_silo_killed_with_SIGKILL_is_declared_dead_in_the_table()
    {
        var victim = await cluster.StartSiloAsync();
        await using var _ = victim;
        await WaitForReportAsync(r => ReportsActive(r, victim));

        victim.Kill();

        var deadline = DateTime.UtcNow + Patience;
        string? status = null;
        while (DateTime.UtcNow < deadline)
        {
            status = (await ReadRowsAsync()).SingleOrDefault(r => r.Address.StartsWith(victim.SiloAddress + "@")).Status;
            if (status == "Dead") break;
            await Task.Delay(500);
        }
        Assert.Equal("Dead", status);
        var report = await OfsAsync("report");
        Assert.Contains(report.StdoutLines, l => l.StartsWith(victim.SiloAddress + " ") && l.Contains("Dead"));
        Assert.All(cluster.Silos, s => Assert.True(ReportsActive(report, s), $"{s.SiloAddress} not Active in:\n{report}"));
    }

    private Task<OfsResult> OfsAsync(params string[] args) =>
        OfsRunner.RunRawAsync(["--zookeeper", cluster.ConnectionString, .. args]);

    private Task<OfsResult> WaitForReportAsync(Func<OfsResult, bool> done) => OfsReport.WaitAsync(cluster.ConnectionString, Patience, done);

    private static bool ReportsActive(OfsResult report, SiloProcess silo) => OfsReport.ShowsActive(report, silo);

    /// <summary>The rows as an operator sees them with zkCli: one znode per silo, JSON with a Status.</summary>
    private async Task<List<(string Address, string Status)>> ReadRowsAsync()
    {
        await using var zk = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectionString = cluster.ConnectionString });
        var rows = new List<(string, string)>();
        foreach (var name in (await zk.GetChildrenAsync("/ofs")).Children)
        {
            using var json = JsonDocument.Parse((await zk.GetDataAsync("/ofs/" + name)).Data);
            rows.Add((name, json.RootElement.GetProperty("Status").GetString()!));
        }
        return rows;
    }
}
