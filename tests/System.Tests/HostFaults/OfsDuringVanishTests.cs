using System.Diagnostics;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.HostFaults;

/// <summary>
/// A user runs `ofs stat` just after the master's machine vanished: it answers, or says in one line why not, within
/// its own timeout. It never hangs.
/// </summary>
[Collection(HostFaultCollection.Name)]
public sealed class OfsDuringVanishTests(HostFaultClusterFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>ofs's connect timeout (5 s) and call timeout (30 s), plus the start of a .NET process on a busy machine.</summary>
    private static readonly TimeSpan OfsBudget = TimeSpan.FromSeconds(45);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => fixture.HealAsync();

    [NetnsFact]
    public async Task AFreshOfsStatStartedRightAfterTheMastersHostVanishedAnswersOrFailsWithOneLineWithinItsTimeout()
    {
        string dir = $"/ofs-vanish-{Guid.NewGuid():N}";
        await fixture.Fs.CreateDirectoryAsync(dir);
        await fixture.WaitStandbysAsync();
        var master = await fixture.Fs.GetMasterInfoAsync();
        var victim = fixture.Cluster.SiloAt(master.SiloAddress);
        var incarnation = await fixture.IncarnationAsync(victim);

        fixture.Cluster.Network.Vanish(victim.Host!);
        var clock = Stopwatch.StartNew();
        var stat = await RunOfsAsync("--zookeeper", fixture.Cluster.ZooKeeperConnectionString, "stat", dir);
        output.WriteLine($"ofs stat after the vanish of {victim.Host}: exit {stat.ExitCode} after {clock.ElapsedMilliseconds} ms\n{stat}");

        if (stat.ExitCode == 0)
        {
            Assert.Equal($"{dir} is a directory path.", stat.StdoutLines[0]);
        }
        else
        {
            string line = Assert.Single(stat.StderrLines);
            Assert.StartsWith("ofs: stat: ", line);
            Assert.Equal("", stat.Stdout);
            Assert.DoesNotContain("   at ", stat.Stderr);
        }

        fixture.Cluster.Network.Return(victim.Host!);
        output.WriteLine(await fixture.WaitOldIncarnationGoneAsync(victim, incarnation));
    }

    /// <summary>`ofs ARGS...` as a user runs it; killed and failed as a hang if it outlives <see cref="OfsBudget"/>.</summary>
    private static async Task<OfsResult> RunOfsAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(OfsBuildOutputs.OfsDll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        foreach (string variable in (string[])["OFS_GATEWAY", "OFS_ZOOKEEPER", "OFS_POSTGRES"]) start.Environment.Remove(variable);
        using var process = Process.Start(start)!;
        return await ChildProcess.RunToEndAsync(process, OfsBudget, $"ofs {string.Join(' ', args)} (a hang: it outlived its timeout)");
    }
}
