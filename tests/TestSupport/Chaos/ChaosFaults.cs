namespace OrleansFs.TestSupport.Chaos;

/// <summary>
/// The faults of a chaos run: SIGKILLs of random silos, odd ones the master's, each restarted at once in the
/// background, one at a time (at least two joined silos before the next fault), and one ZooKeeper member
/// SIGKILLed at the second fault. With vanishes (a cluster from <see cref="ClusterProcesses.StartInNamespacesAsync"/>),
/// that many of the faults, spread among the kills, make the victim's host vanish instead: its link is down for
/// <see cref="VanishHold"/> (long enough to be declared dead), then back; the silo, which exits on learning it was
/// declared dead, is restarted. Progress goes to <paramref name="progress"/>.
/// </summary>
public sealed class ChaosFaults(ClusterProcesses cluster, Func<Task<string>> masterSilo, Action<string> progress)
{
    public static readonly TimeSpan VanishHold = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan ReturnedSiloExit = TimeSpan.FromSeconds(60);

    public async Task RunAsync(int kills, TimeSpan between, int seed = 42, int vanishes = 0)
    {
        var random = new Random(seed);
        var restarts = new Dictionary<SiloProcess, Task>();
        int faults = kills + vanishes;
        var vanishAt = Enumerable.Range(1, vanishes).Select(v => (int)Math.Round(v * (faults + 1.0) / (vanishes + 1))).ToHashSet();
        for (int kill = 1; kill <= faults; kill++)
        {
            await Task.Delay(between);
            await WaitForTwoJoinedAsync(restarts);
            string master = await masterSilo();
            // Only silos that finished joining: killing one mid-start would test the harness, not the cluster.
            var eligible = cluster.Silos.Where(s => s.IsRunning && !restarts.ContainsKey(s)).ToList();
            var masters = eligible.FirstOrDefault(s => s.SiloAddress == master);
            var victim = kill % 2 == 1 && masters is not null ? masters : eligible[random.Next(eligible.Count)];
            string role = victim.SiloAddress == master ? " (master)" : "";
            bool vanish = vanishAt.Contains(kill);
            if (vanish)
            {
                progress($"vanish {kill}/{faults}: host {victim.Host?.Name} of {victim.SiloAddress}{role} link down for {VanishHold.TotalSeconds:F0} s");
            }
            else
            {
                victim.Kill();
                progress($"kill {kill}/{faults}: SIGKILL {victim.SiloAddress}{role}");
            }
            if (kill == 2)
            {
                var member = cluster.ZooKeeper.Members[0];
                member.Kill();
                progress($"kill {kill}/{faults}: SIGKILL ZooKeeper member {member.Endpoint}");
            }
            restarts[victim] = vanish ? VanishAndReturnAsync(victim) : victim.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        }
        await Task.Delay(between);
        await Task.WhenAll(restarts.Values);
        await cluster.ZooKeeper.HealAsync();
        progress("faults done: every silo and ZooKeeper member running again");
    }

    /// <summary>The host vanishes, comes back, and its silo (declared dead meanwhile, so it exits) starts again.</summary>
    private async Task VanishAndReturnAsync(SiloProcess victim)
    {
        var host = victim.Host ?? throw new InvalidOperationException($"{victim.SiloAddress} runs on loopback: vanishes need ClusterProcesses.StartInNamespacesAsync");
        cluster.Network.Vanish(host);
        await Task.Delay(VanishHold);
        cluster.Network.Return(host);
        var deadline = DateTime.UtcNow + ReturnedSiloExit;
        while (victim.IsRunning && DateTime.UtcNow < deadline) await Task.Delay(250);
        if (victim.IsRunning)
        {
            progress($"host {host.Name} returned, but {victim.SiloAddress} was still running {ReturnedSiloExit.TotalSeconds:F0} s later: SIGKILL");
            victim.Kill();
        }
        else
        {
            progress($"host {host.Name} returned; {victim.SiloAddress} exited by itself");
        }
        await victim.StartProcessAsync(ClusterProcesses.ReadyTimeout);
    }

    private async Task WaitForTwoJoinedAsync(Dictionary<SiloProcess, Task> restarts)
    {
        while (true)
        {
            foreach (var done in restarts.Where(r => r.Value.IsCompleted).ToList())
            {
                await done.Value; // a restart that failed ends the run here
                restarts.Remove(done.Key);
            }
            if (cluster.Silos.Count(s => s.IsRunning && !restarts.ContainsKey(s)) >= 2) return;
            await Task.WhenAny(restarts.Values);
        }
    }
}
