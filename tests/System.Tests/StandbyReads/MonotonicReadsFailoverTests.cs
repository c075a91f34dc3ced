using OrleansFs.Client;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Master;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.StandbyReads;

/// <summary>
/// A client reading through standbys and the master while the master's silo is SIGKILLed: the journal position
/// of its answers never goes backwards, and it never loses sight of a file it created.
/// </summary>
[Collection(StandbyReadsCollection.Name)]
public sealed class MonotonicReadsFailoverTests(StandbyReadsClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_clients_read_positions_never_go_backwards_across_a_SIGKILL_of_the_masters_silo()
    {
        await using var client = await fixture.ConnectAsync();
        await using var writer = await fixture.ConnectAsync();
        var fs = client.FileSystem;
        string dir = $"/monotonic-{Guid.NewGuid():N}";
        await fs.CreateDirectoryAsync(dir);
        foreach (var silo in fixture.Cluster.Silos.Where(s => s.IsRunning)) await silo.WaitStandbyAsync(TimeSpan.FromSeconds(60));
        var before = await fs.GetMasterInfoAsync();
        var victim = fixture.Cluster.SiloAt(before.SiloAddress);

        // Another client keeps the journal moving, so standbys and master stand at different positions.
        using var stop = new CancellationTokenSource();
        var background = Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                try { await writer.FileSystem.CreateFileEntryAsync($"{dir}/other{i}", cancellationToken: stop.Token); }
                catch (OperationCanceledException) { return; }
                catch (FsException) { await Task.Delay(50); } // only load: its failures during the failover do not matter here
            }
        });

        var mine = new List<string>();
        var last = JournalPosition.None;
        int reads = 0;
        bool killed = false;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        try
        {
            for (int i = 0; DateTime.UtcNow < until; i++)
            {
                if (i == 30)
                {
                    victim.Kill();
                    killed = true;
                    output.WriteLine($"SIGKILL of the master's silo {victim.SiloAddress} at position {last}");
                }
                if (i % 5 == 0) mine.Add((await fs.CreateFileEntryAsync($"{dir}/mine{i}")).Path);
                string path = mine[Random.Shared.Next(mine.Count)];
                var status = await fs.GetStatusAsync(path);
                reads++;
                Assert.True(status.Journal >= last, $"read {reads} answered at {status.Journal}, behind {last}");
                Assert.True(client.Reads.Seen >= status.Journal);
                last = status.Journal;
                if (killed && last.Epoch > before.Epoch && i > 200) break;
            }
        }
        finally
        {
            stop.Cancel();
            await background;
        }
        output.WriteLine($"{reads} reads, {mine.Count} files of its own, last position {last}");
        Assert.True(killed);
        Assert.True(last.Epoch > before.Epoch, $"the reads never reached the new master's epoch (last {last}, before {before.Epoch})");
        foreach (string path in mine) Assert.False((await fs.GetStatusAsync(path)).IsDirectory);

        await victim.StartProcessAsync(ClusterProcesses.ReadyTimeout);
    }
}
