using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.HostFaults;

/// <summary>
/// A user runs `ofs stat` just after the master's machine vanished: it answers, or says in one line why not, within
/// its own timeout. It never hangs, and SIGTERM ends it at once while it is still trying the vanished gateway.
/// </summary>
[Collection(HostFaultCollection.Name)]
public sealed class OfsDuringVanishTests(HostFaultClusterFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>ofs's connect timeout (5 s) and call timeout (30 s), plus the start of a .NET process on a busy machine.</summary>
    private static readonly TimeSpan OfsBudget = TimeSpan.FromSeconds(45);
    /// <summary>"At once": the signal's grace plus the time a loaded machine takes to schedule the exit.</summary>
    private static readonly TimeSpan EndsWithin = TimeSpan.FromSeconds(3);
    private const int SigTerm = 15;
    private const string SynSent = "02";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => fixture.HealAsync();

    [NetnsFact]
    public async Task AFreshOfsStatStartedRightAfterTheMastersHostVanishedAnswersOrFailsWithOneLineWithinItsTimeoutAndSigtermEndsIt()
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

        // The host is still gone: an ofs that knows only its gateway is stuck connecting there until SIGTERM.
        using var stuck = StartOfs("--gateway", victim.Gateway, "stat", dir);
        await WaitConnectingAsync(stuck, victim.Address, victim.GatewayPort);
        var signalled = Stopwatch.StartNew();
        Assert.Equal(0, SendSignal(stuck.Id, SigTerm));
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                await stuck.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                stuck.Kill(entireProcessTree: true);
                Assert.Fail("ofs did not end within 30 s of SIGTERM");
            }
        }
        output.WriteLine($"SIGTERM while connecting to the vanished {victim.Gateway}: exit {stuck.ExitCode} {signalled.ElapsedMilliseconds} ms later");
        Assert.Equal(143, stuck.ExitCode);
        Assert.True(signalled.Elapsed < EndsWithin, $"ofs took {signalled.Elapsed} to end after SIGTERM");

        fixture.Cluster.Network.Return(victim.Host!);
        output.WriteLine(await fixture.WaitOldIncarnationGoneAsync(victim, incarnation));
    }

    /// <summary>Waits until <paramref name="ofs"/> has a TCP connect (SYN sent, no answer) open to the address.</summary>
    private static async Task WaitConnectingAsync(Process ofs, string address, int port)
    {
        byte[] ip = IPAddress.Parse(address).GetAddressBytes();
        // /proc/net/tcp prints the IPv4 address as the host-order (little-endian) hex of its network-order bytes.
        string remote = $"{ip[3]:X2}{ip[2]:X2}{ip[1]:X2}{ip[0]:X2}:{port:X4}";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(ofs.HasExited, $"ofs ended before it was seen connecting: exit {(ofs.HasExited ? ofs.ExitCode : 0)}");
            var connecting = File.ReadLines($"/proc/{ofs.Id}/net/tcp").Skip(1)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f[2] == remote && f[3] == SynSent).Select(f => $"socket:[{f[9]}]").ToHashSet();
            if (connecting.Count > 0 && Directory.EnumerateFiles($"/proc/{ofs.Id}/fd").Any(fd => connecting.Contains(LinkOf(fd))))
                return;
            await Task.Delay(50);
        }
        Assert.Fail($"ofs was not seen connecting to {address}:{port} within 30 s");
    }

    /// <summary>What a /proc fd link points at; empty for one closed meanwhile.</summary>
    private static string LinkOf(string fd)
    {
        try { return new FileInfo(fd).LinkTarget ?? ""; }
        catch (IOException) { return ""; }
    }

    private static Process StartOfs(params string[] args) => OfsRunner.Start(args);

    /// <summary>`ofs ARGS...` as a user runs it; killed and failed as a hang if it outlives <see cref="OfsBudget"/>.</summary>
    private static async Task<OfsResult> RunOfsAsync(params string[] args)
    {
        using var process = StartOfs(args);
        return await ChildProcess.RunToEndAsync(process, OfsBudget, $"ofs {string.Join(' ', args)} (a hang: it outlived its timeout)");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
