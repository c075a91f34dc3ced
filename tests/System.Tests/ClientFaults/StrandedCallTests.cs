using System.Diagnostics;
using OrleansFs.Client;
using OrleansFs.Tests.Failover;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.ClientFaults;

/// <summary>
/// Calls in flight to the master's silo when it dies. Orleans never answers them, so the client abandons them when
/// the membership table declares the silo dead (or its gateway connection drops) and retries with the same request
/// id. The client here waits 30 s for an attempt, an Orleans response and a gateway-list refresh, so only that
/// abandon can bring a quick answer. Real silo processes and ZooKeeper; each test restarts the silo it stops.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class StrandedCallTests(FailoverClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_call_in_flight_when_the_masters_silo_is_killed_succeeds_within_three_seconds_and_nothing_acknowledged_is_lost()
    {
        await using var client = await ConnectPatientAsync();
        var fs = client.FileSystem;
        string dir = $"/stranded-kill-{Guid.NewGuid():N}";
        await fs.CreateDirectoryAsync(dir);
        foreach (var silo in fixture.Cluster.Silos.Where(s => s.IsRunning)) await silo.WaitStandbyAsync(TimeSpan.FromSeconds(30));
        var before = await fs.GetMasterInfoAsync();
        var victim = fixture.Cluster.SiloAt(before.SiloAddress);

        using var stop = new CancellationTokenSource();
        var workload = Task.Run(() => CreateUntilAsync(fs, dir, stop.Token));
        await Task.Delay(300);
        // Paused first, so this call is certainly in flight to the silo when it dies.
        ClusterProcesses.Signal(victim, ClusterProcesses.SigStop);
        var stranded = fs.CreateDirectoryAsync($"{dir}/stranded");
        await Task.Delay(300);
        victim.Kill();
        var clock = Stopwatch.StartNew();
        await stranded.WaitAsync(Patient);
        var firstSuccess = clock.Elapsed;
        await Task.Delay(500);
        stop.Cancel();
        var acknowledged = await workload;
        output.WriteLine($"SIGKILL of {victim.SiloAddress}: the stranded call succeeded {firstSuccess.TotalMilliseconds:F0} ms after the kill; {acknowledged.Count} creates acknowledged");

        Assert.True(firstSuccess < TimeSpan.FromSeconds(3), $"the call in flight took {firstSuccess} after the kill (attempt timeout {Patient})");
        Assert.NotEqual(victim.SiloAddress, (await fs.GetMasterInfoAsync()).SiloAddress);
        var listed = (await fs.ListStatusAsync(dir)).Select(s => s.Path).ToHashSet();
        Assert.Subset(listed, acknowledged.Append($"{dir}/stranded").ToHashSet());

        await victim.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        await WaitActiveAsync(fs, victim.SiloAddress);
    }

    [Fact]
    public async Task A_call_stranded_on_a_silent_master_is_retried_when_the_table_declares_it_dead_not_after_30_s()
    {
        await using var client = await ConnectPatientAsync();
        var fs = client.FileSystem;
        string dir = $"/stranded-silent-{Guid.NewGuid():N}";
        await fs.CreateDirectoryAsync(dir);
        foreach (var silo in fixture.Cluster.Silos.Where(s => s.IsRunning)) await silo.WaitStandbyAsync(TimeSpan.FromSeconds(30));
        var before = await fs.GetMasterInfoAsync();
        var silent = fixture.Cluster.SiloAt(before.SiloAddress);

        // A paused process is a vanished host to its peers: no reset, no refusal, its gateway connection stays open.
        // Nothing tells the client but the membership table.
        ClusterProcesses.Signal(silent, ClusterProcesses.SigStop);
        var clock = Stopwatch.StartNew();
        try
        {
            await fs.CreateDirectoryAsync($"{dir}/stranded").WaitAsync(Patient);
            var answered = clock.Elapsed;
            output.WriteLine($"SIGSTOP of {silent.SiloAddress}: the stranded call succeeded after {answered.TotalMilliseconds:F0} ms");

            var members = await fs.GetClusterMembersAsync();
            Assert.DoesNotContain(members, m => m.Address == silent.SiloAddress && m.Status == "Active");
            // Detection of a silent silo takes seconds; the 30 s timeouts would take 30.
            Assert.True(answered < TimeSpan.FromSeconds(15), $"the stranded call took {answered}");
            Assert.True((await fs.GetStatusAsync($"{dir}/stranded")).IsDirectory);
        }
        finally
        {
            silent.Kill();
        }
        await silent.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        await WaitActiveAsync(fs, silent.SiloAddress);
    }

    /// <summary>Every wait of this client is 30 s: an attempt, Orleans' response timeout, the gateway-list refresh.</summary>
    private Task<OrleansFsConnection> ConnectPatientAsync() => OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
    {
        ZooKeeperConnectionString = fixture.Cluster.ZooKeeperConnectionString,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        AttemptTimeout = Patient,
        ResponseTimeout = Patient,
        GatewayListRefreshPeriod = Patient,
        CallTimeout = TimeSpan.FromSeconds(60),
    });

    private static async Task<List<string>> CreateUntilAsync(IFileSystem fs, string dir, CancellationToken stop)
    {
        var acknowledged = new List<string>();
        for (int i = 0; !stop.IsCancellationRequested; i++)
        {
            string path = $"{dir}/w{i:D5}";
            try
            {
                await fs.CreateDirectoryAsync(path);
                acknowledged.Add(path);
            }
            catch (OrleansFs.Errors.FsException)
            {
                // Not acknowledged: it may or may not be there.
            }
        }
        return acknowledged;
    }

    private static async Task WaitActiveAsync(IFileSystem fs, string siloAddress)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var members = await fs.GetClusterMembersAsync();
            if (members.Any(m => m.Address == siloAddress && m.Status == "Active")) return;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{siloAddress} did not rejoin: {string.Join(", ", members.Select(m => $"{m.Address} {m.Status}"))}");
            await Task.Delay(250);
        }
    }
}
