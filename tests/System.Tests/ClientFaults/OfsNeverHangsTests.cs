using System.Diagnostics;
using System.Runtime.InteropServices;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.ClientFaults;

/// <summary>
/// `ofs` against gateways that have gone silent: it reports within its connect timeout (the README promises about
/// five seconds), carries on through another gateway, and SIGTERM or Ctrl-C end it at once with 143 or 130.
/// </summary>
public sealed class OfsNeverHangsTests(SharedSiloFixture fixture, ITestOutputHelper output) : IClassFixture<SharedSiloFixture>
{
    private const int SigInt = 2;
    private const int SigTerm = 15;
    /// <summary>ofs's connect timeout (5 s) plus the start of a .NET process on a busy 2-core machine (seconds at times).</summary>
    private static readonly TimeSpan ReportedWithin = TimeSpan.FromSeconds(12);
    /// <summary>Four times the connect timeout (the backstop) plus the start of a .NET process.</summary>
    private static readonly TimeSpan AnsweredWithin = TimeSpan.FromSeconds(25);
    /// <summary>"At once": the signal's grace plus the time a loaded machine takes to schedule the exit.</summary>
    private static readonly TimeSpan EndsWithin = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Stat_against_a_gateway_that_drops_packets_fails_with_one_line_after_about_five_seconds()
    {
        using var hole = await BlackHoleGateway.DroppingAsync();
        var clock = Stopwatch.StartNew();
        var result = await OfsRunner.RunRawAsync(["--gateway", hole.Address, "stat", "/"]);
        var elapsed = clock.Elapsed;
        output.WriteLine($"ofs stat against {hole.Address} (dropping): exit {result.ExitCode} after {elapsed.TotalMilliseconds:F0} ms: {result.Stderr.Trim()}");

        var line = OfsAssert.FailedWithOneLine(result, "stat", hole.Address);
        Assert.Contains("cannot reach the cluster", line);
        Assert.True(elapsed < ReportedWithin, $"ofs took {elapsed} to report an unreachable cluster");
    }

    /// <summary>
    /// Orleans' client fetches the cluster's type manifest from one gateway while it starts; when it picks the silent
    /// one (5 s) its fallback goes through a live silo that waits its own connect timeout (5 s) for the silent
    /// address, so this takes longer than an unreachable cluster does to report.
    /// </summary>
    [Fact]
    public async Task Stat_with_one_silent_gateway_among_the_known_ones_answers_through_another()
    {
        using var hole = await BlackHoleGateway.DroppingAsync();
        OfsAssert.Succeeded(await fixture.Ofs.RunAsync("mkdir", "-p", "/never-hangs"));
        foreach (var order in new[] { $"{hole.Address},{fixture.Silo.Gateway}", $"{fixture.Silo.Gateway},{hole.Address}" })
        {
            var clock = Stopwatch.StartNew();
            var result = await OfsRunner.RunRawAsync(["--gateway", order, "stat", "/never-hangs"]);
            output.WriteLine($"ofs --gateway {order} stat: exit {result.ExitCode} after {clock.ElapsedMilliseconds} ms {result.Stderr.Trim()}");
            Assert.Equal("/never-hangs is a directory path.", OfsAssert.Succeeded(result).StdoutLines[0]);
            Assert.True(clock.Elapsed < AnsweredWithin, $"ofs took {clock.Elapsed}");
        }
    }

    [Theory]
    [InlineData(SigTerm, 143)]
    [InlineData(SigInt, 130)]
    public async Task A_signal_during_a_connect_that_cannot_finish_ends_ofs_at_once(int signal, int status)
    {
        using var hole = BlackHoleGateway.Mute();
        using var ofs = StartOfs(["--gateway", hole.Address, "stat", "/"]);
        // ofs is running its connect once the gateway has a connection from it.
        await hole.Connected.WaitAsync(TimeSpan.FromSeconds(30));

        var (exit, elapsed) = await SignalAsync(ofs, signal);
        output.WriteLine($"signal {signal} during connect: exit {exit} {elapsed.TotalMilliseconds:F0} ms later");
        Assert.Equal(status, exit);
        Assert.True(elapsed < EndsWithin, $"ofs took {elapsed} to end after signal {signal}");
    }

    [Fact]
    public async Task Sigterm_during_a_cat_blocked_on_a_full_pipe_ends_ofs_at_once_with_143()
    {
        string local = Path.Combine(Path.GetTempPath(), $"ofs-big-{Guid.NewGuid():N}");
        try
        {
            var bytes = new byte[16 * 1024 * 1024];
            new Random(7).NextBytes(bytes);
            await File.WriteAllBytesAsync(local, bytes);
            var copy = await fixture.Ofs.RunAsync("copyFromLocal", local, "/never-hangs-big");
            Assert.True(copy.ExitCode == 0, $"copyFromLocal failed: {copy}");

            // Nobody reads its output: ofs fills the pipe and blocks writing to it, a wait no token can cut.
            using var ofs = StartOfs(["--gateway", fixture.Silo.Gateway, "cat", "/never-hangs-big"]);
            await WaitForBlockedOutputAsync(ofs);

            var (exit, elapsed) = await SignalAsync(ofs, SigTerm);
            output.WriteLine($"SIGTERM during cat: exit {exit} {elapsed.TotalMilliseconds:F0} ms later");
            Assert.Equal(143, exit);
            Assert.True(elapsed < EndsWithin, $"ofs took {elapsed} to end after SIGTERM");
        }
        finally
        {
            File.Delete(local);
        }
    }

    private static Process StartOfs(IEnumerable<string> args) => OfsRunner.Start(args);

    /// <summary>Sends the signal and waits (bounded) for the exit; a process still there is killed and reported.</summary>
    private static async Task<(int Exit, TimeSpan Elapsed)> SignalAsync(Process ofs, int signal)
    {
        Assert.False(ofs.HasExited, $"ofs ended before the signal: exit {(ofs.HasExited ? ofs.ExitCode : 0)}");
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, Kill(ofs.Id, signal));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await ofs.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            ofs.Kill(entireProcessTree: true);
            Assert.Fail($"ofs did not end within 30 s of signal {signal}");
        }
        return (ofs.ExitCode, clock.Elapsed);
    }

    /// <summary>Waits until ofs has written more than a pipe holds and stopped, its output unread.</summary>
    private static async Task WaitForBlockedOutputAsync(Process ofs)
    {
        // The stdout pipe holds 64 KiB; the file is far larger, so ofs is blocked once it has run a few seconds.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        long last = -1;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            Assert.False(ofs.HasExited, $"ofs ended on its own: exit {(ofs.HasExited ? ofs.ExitCode : 0)}");
            long cpu = (long)ofs.TotalProcessorTime.TotalMilliseconds;
            if (cpu == last && cpu > 0) return;
            last = cpu;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
