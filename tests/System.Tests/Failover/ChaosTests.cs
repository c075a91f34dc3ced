using System.Collections.Concurrent;
using OrleansFs.Client;
using OrleansFs.Errors;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Failover;

/// <summary>
/// Short chaos run: concurrent creates, renames and deletes while random silos (the master's included) are
/// SIGKILLed and restarted and one ZooKeeper member is killed. Every acknowledged operation must be
/// reflected exactly once: an acknowledged create exists, a rename moved, a delete removed, and no retry
/// was applied twice (which would show as AlreadyExists/NotFound on a caller's own, sequential keys).
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class ChaosTests(FailoverClusterFixture fixture, ITestOutputHelper output)
{
    private const int Workers = 4;
    private const int Kills = 5;
    private static readonly TimeSpan BetweenKills = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task AcknowledgedOperationsSurviveRepeatedSilosKillsAndAZooKeeperMemberLossExactlyOnce()
    {
        var fs = fixture.Client.FileSystem;
        string root = $"/chaos-{Guid.NewGuid():N}";
        await fs.CreateDirectoryAsync(root);
        var ledger = new ConcurrentBag<Outcome>();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => RunWorkerAsync(fs, $"{root}/w{w}", ledger, stop.Token))).ToList();

        var random = new Random(42);
        var restarts = new Dictionary<SiloProcess, Task>();
        for (int kill = 1; kill <= Kills; kill++)
        {
            await Task.Delay(BetweenKills);
            // One failure at a time: wait until at least two silos have joined before the next kill.
            while (true)
            {
                foreach (var done in restarts.Where(r => r.Value.IsCompleted).ToList())
                {
                    await done.Value; // a restart that failed fails the test here
                    restarts.Remove(done.Key);
                }
                if (fixture.Cluster.Silos.Count(s => s.IsRunning && !restarts.ContainsKey(s)) >= 2) break;
                await Task.WhenAny(restarts.Values);
            }
            var master = await fs.GetMasterInfoAsync();
            // Only silos that finished joining: killing one mid-start would test the harness, not the cluster.
            var eligible = fixture.Cluster.Silos.Where(s => s.IsRunning && !restarts.ContainsKey(s)).ToList();
            var masterSilo = eligible.FirstOrDefault(s => s.SiloAddress == master.SiloAddress);
            // Odd kills take the master's silo, even ones a random silo.
            var victim = kill % 2 == 1 && masterSilo is not null ? masterSilo : eligible[random.Next(eligible.Count)];
            victim.Kill();
            output.WriteLine($"kill {kill}: SIGKILL {victim.SiloAddress}{(victim.SiloAddress == master.SiloAddress ? " (master)" : "")}");
            if (kill == 2)
            {
                var member = fixture.Cluster.ZooKeeper.Members[0];
                member.Kill();
                output.WriteLine($"kill {kill}: SIGKILL ZooKeeper member {member.Endpoint}");
            }
            // Restarted at once, in the background: the next kill may come while it is still joining.
            restarts[victim] = victim.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        }
        await Task.Delay(BetweenKills);
        stop.Cancel();
        await Task.WhenAll(workers);
        await Task.WhenAll(restarts.Values);
        await fixture.Cluster.ZooKeeper.HealAsync();

        var outcomes = ledger.ToList();
        var doubled = outcomes.Where(o => o.Doubled).ToList();
        var acknowledged = outcomes.Where(o => o.Acknowledged).ToList();
        output.WriteLine($"{acknowledged.Count} operations acknowledged, {outcomes.Count(o => !o.Acknowledged && !o.Doubled)} failed (outcome unknown), {doubled.Count} doubled");
        Assert.Empty(doubled.Select(o => o.Describe()));
        Assert.True(acknowledged.Count > 50, $"only {acknowledged.Count} operations were acknowledged");
        await AssertReflectedAsync(fs, outcomes);
    }

    private static async Task RunWorkerAsync(IFileSystem fs, string dir, ConcurrentBag<Outcome> ledger, CancellationToken stop)
    {
        await fs.CreateDirectoryAsync(dir);
        for (int k = 0; !stop.IsCancellationRequested; k++)
        {
            string created = $"{dir}/n{k:D5}";
            if (!await RecordAsync(ledger, new Outcome(Op.Create, created, null), () => fs.CreateFileEntryAsync(created))) continue;
            if (k % 3 == 1)
            {
                string renamed = $"{dir}/r{k:D5}";
                await RecordAsync(ledger, new Outcome(Op.Rename, created, renamed), () => fs.RenameAsync(created, renamed));
            }
            else if (k % 3 == 2)
            {
                await RecordAsync(ledger, new Outcome(Op.Delete, created, null), () => fs.DeleteAsync(created));
            }
        }
    }

    /// <summary>Runs one operation and records whether it was acknowledged; true when it was.</summary>
    private static async Task<bool> RecordAsync(ConcurrentBag<Outcome> ledger, Outcome outcome, Func<Task> operation)
    {
        try
        {
            await operation();
            ledger.Add(outcome with { Acknowledged = true });
            return true;
        }
        catch (FsException e) when (e.Code is FsErrorCode.AlreadyExists or FsErrorCode.NotFound)
        {
            // Keys are this worker's own and used once, in order: only a retry applied twice answers like this.
            ledger.Add(outcome with { Doubled = true, Error = e.Message });
            return false;
        }
        catch (FsException e)
        {
            ledger.Add(outcome with { Error = e.Message });
            return false;
        }
    }

    private static async Task AssertReflectedAsync(IFileSystem fs, List<Outcome> outcomes)
    {
        var byPath = outcomes.Where(o => o.Acknowledged).GroupBy(o => o.Path).ToDictionary(g => g.Key, g => g.Select(o => o.Op).ToHashSet());
        var uncertain = outcomes.Where(o => !o.Acknowledged).Select(o => o.Path).ToHashSet();
        foreach (var (path, ops) in byPath)
        {
            if (!ops.Contains(Op.Create)) continue;
            bool exists = await fs.ExistsAsync(path);
            if (ops.Contains(Op.Rename))
            {
                Assert.False(exists, $"{path} was renamed (acknowledged) but still exists");
                string target = outcomes.First(o => o.Acknowledged && o.Op == Op.Rename && o.Path == path).Target!;
                Assert.True(await fs.ExistsAsync(target), $"{target}: acknowledged rename target is missing");
            }
            else if (ops.Contains(Op.Delete))
            {
                Assert.False(exists, $"{path} was deleted (acknowledged) but exists");
            }
            else if (!uncertain.Contains(path))
            {
                Assert.True(exists, $"{path}: acknowledged create is missing");
            }
        }
    }

    private enum Op { Create, Rename, Delete }

    private sealed record Outcome(Op Op, string Path, string? Target)
    {
        public bool Acknowledged { get; init; }
        public bool Doubled { get; init; }
        public string? Error { get; init; }
        public string Describe() => $"{Op} {Path}{(Target is null ? "" : " -> " + Target)}: {Error}";
    }
}
