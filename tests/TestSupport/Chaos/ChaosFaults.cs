namespace OrleansFs.TestSupport.Chaos;

/// <summary>
/// The faults of a chaos run: SIGKILLs of random silos, odd ones the master's, each restarted at once in the
/// background, one at a time (at least two joined silos before the next kill), and one ZooKeeper member
/// SIGKILLed at the second kill. Progress goes to <paramref name="progress"/>.
/// </summary>
public sealed class ChaosFaults(ClusterProcesses cluster, Func<Task<string>> masterSilo, Action<string> progress)
{
    public async Task RunAsync(int kills, TimeSpan between, int seed = 42)
    {
        var random = new Random(seed);
        var restarts = new Dictionary<SiloProcess, Task>();
        for (int kill = 1; kill <= kills; kill++)
        {
            await Task.Delay(between);
            await WaitForTwoJoinedAsync(restarts);
            string master = await masterSilo();
            // Only silos that finished joining: killing one mid-start would test the harness, not the cluster.
            var eligible = cluster.Silos.Where(s => s.IsRunning && !restarts.ContainsKey(s)).ToList();
            var masters = eligible.FirstOrDefault(s => s.SiloAddress == master);
            var victim = kill % 2 == 1 && masters is not null ? masters : eligible[random.Next(eligible.Count)];
            victim.Kill();
            progress($"kill {kill}/{kills}: SIGKILL {victim.SiloAddress}{(victim.SiloAddress == master ? " (master)" : "")}");
            if (kill == 2)
            {
                var member = cluster.ZooKeeper.Members[0];
                member.Kill();
                progress($"kill {kill}/{kills}: SIGKILL ZooKeeper member {member.Endpoint}");
            }
            restarts[victim] = victim.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        }
        await Task.Delay(between);
        await Task.WhenAll(restarts.Values);
        await cluster.ZooKeeper.HealAsync();
        progress("faults done: every silo and ZooKeeper member running again");
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
