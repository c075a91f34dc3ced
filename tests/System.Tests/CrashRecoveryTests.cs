using System.Collections.Concurrent;
using OrleansFs.Client;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests;

/// <summary>A real silo process is killed, stopped and restarted; nothing it acknowledged may be lost.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Every_acknowledged_operation_survives_SIGKILL_and_restart()
    {
        await using var silo = await SiloProcess.StartAsync();
        var ofs = new OfsRunner(silo.Gateway);
        var acknowledged = new ConcurrentBag<string>();
        await using (var client = await Connect(silo))
        {
            // Concurrent callers share group commits; each one that returned was acknowledged.
            await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
            {
                await client.FileSystem.CreateDirectoryAsync($"/k/d{i:D2}", recursive: true);
                acknowledged.Add($"/k/d{i:D2}");
            }));
        }
        OfsAssert.Succeeded(await ofs.RunAsync("mkdir", "-p", "/k/ofs/x"));
        OfsAssert.Succeeded(await ofs.RunAsync("touch", "/k/ofs/x/f"));
        OfsAssert.Succeeded(await ofs.RunAsync("mv", "/k/d00", "/k/moved"));
        OfsAssert.Succeeded(await ofs.RunAsync("rm", "-R", "/k/d01"));

        silo.Kill();
        await silo.RestartAsync();

        var expected = acknowledged.Where(p => p is not "/k/d00" and not "/k/d01")
            .Concat(["/k/moved", "/k/ofs", "/k/ofs/x", "/k/ofs/x/f"])
            .Order(StringComparer.Ordinal).ToList();
        var listed = OfsAssert.ListedPaths(OfsAssert.Succeeded(await ofs.RunAsync("ls", "-R", "/k")));
        Assert.Equal(expected, listed.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task A_torn_journal_tail_is_cut_back_and_the_acknowledged_prefix_recovers()
    {
        await using var silo = await SiloProcess.StartAsync();
        var before = new List<string>();
        await using (var client = await Connect(silo))
        {
            for (int i = 0; i < 5; i++)
            {
                await client.FileSystem.CreateDirectoryAsync($"/torn/base{i}", recursive: true);
                before.Add($"/torn/base{i}");
            }
        }

        // A graceful stop first: SIGTERM ends the silo with exit code 0.
        Assert.Equal(0, await silo.StopAsync());

        foreach (var cut in new Func<long, long>[] { _ => 1, _ => 9, size => size - 1 })
        {
            await silo.StartProcessAsync();
            string segment, torn = $"/torn/last{before.Count}";
            long recordSize;
            await using (var client = await Connect(silo))
            {
                segment = JournalFiles.LastSegment(silo.JournalDirectory);
                long sizeBefore = new FileInfo(segment).Length;
                await client.FileSystem.CreateDirectoryAsync(torn);
                recordSize = new FileInfo(segment).Length - sizeBefore;
            }
            silo.Kill();
            long bytes = cut(recordSize);
            JournalFiles.CutTail(segment, bytes);

            await silo.StartProcessAsync();
            await using (var client = await Connect(silo))
            {
                var names = (await client.FileSystem.ListStatusAsync("/torn")).Select(s => s.Path).Order(StringComparer.Ordinal);
                Assert.True(names.SequenceEqual(before.Order(StringComparer.Ordinal)),
                    $"after cutting {bytes} of {recordSize} bytes: [{string.Join(", ", names)}], expected [{string.Join(", ", before)}]");
            }
            // The recovered master serves writes again, and they last.
            await using (var client = await Connect(silo))
            {
                await client.FileSystem.CreateDirectoryAsync($"/torn/after{before.Count}");
                before.Add($"/torn/after{before.Count}");
            }
            Assert.Equal(0, await silo.StopAsync());
        }

        await silo.StartProcessAsync();
        var listed = OfsAssert.ListedPaths(OfsAssert.Succeeded(await new OfsRunner(silo.Gateway).RunAsync("ls", "/torn")));
        Assert.Equal(before.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        var dump = OfsAssert.Succeeded(await OfsRunner.RunRawAsync(["journal", "dump", silo.JournalDirectory]));
        Assert.Contains(dump.StdoutLines, l => l.Contains("CreateDirectory") && l.EndsWith("/torn/base0"));
        Assert.DoesNotContain(dump.StdoutLines, l => l.Contains("/torn/last"));
    }

    private static Task<OrleansFsConnection> Connect(SiloProcess silo) =>
        OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [silo.Gateway] });
}
