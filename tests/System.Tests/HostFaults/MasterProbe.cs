using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansFs.Client;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master.Entries;

namespace OrleansFs.Tests.HostFaults;

/// <summary>
/// Asks the master, over and over through one client, who it is (a read) and creates directories (writes), noting
/// when each answer arrived relative to a fault, so a test can tell which epoch answered what and when.
/// </summary>
internal sealed class MasterProbe(IFileSystem fs, string root)
{
    public readonly record struct Read(TimeSpan At, long Epoch, string Silo);

    public readonly record struct Write(TimeSpan At, DateTimeOffset WallClock, string Path);

    private readonly Stopwatch _clock = new();
    private readonly ConcurrentQueue<Read> _reads = new();
    private readonly ConcurrentQueue<Write> _writes = new();

    public IReadOnlyList<Read> Reads => [.. _reads];
    public IReadOnlyList<Write> Writes => [.. _writes];

    /// <summary>Time since <see cref="MarkFault"/> (before it: negative, from the probe's start).</summary>
    public TimeSpan Now => _clock.Elapsed - _faultAt;

    private TimeSpan _faultAt = TimeSpan.MaxValue / 2;

    public void MarkFault() => _faultAt = _clock.Elapsed;

    public Task RunAsync(CancellationToken stop)
    {
        _clock.Start();
        return Task.WhenAll(ReadLoopAsync(stop), WriteLoopAsync(stop));
    }

    private async Task ReadLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var info = await fs.GetMasterInfoAsync(stop);
                _reads.Enqueue(new Read(Now, info.Epoch, info.SiloAddress));
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // The call gave up (the cluster was unreachable for its whole CallTimeout): try again.
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await Delay(stop);
        }
    }

    private async Task WriteLoopAsync(CancellationToken stop)
    {
        for (int i = 0; !stop.IsCancellationRequested; i++)
        {
            string path = $"{root}/d{i}";
            try
            {
                await fs.CreateDirectoryAsync(path, cancellationToken: stop);
                _writes.Enqueue(new Write(Now, DateTimeOffset.UtcNow, path));
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await Delay(stop);
        }
    }

    private static async Task Delay(CancellationToken stop)
    {
        try { await Task.Delay(50, stop); } catch (OperationCanceledException) { }
    }

    /// <summary>The epoch whose record holds each acknowledged create, read from the journal's effective history.</summary>
    public static Dictionary<string, long> EpochOfEachCreate(string journalDirectory)
    {
        var epochs = new Dictionary<string, long>();
        foreach (var entry in JournalReader.ReadAll(journalDirectory).Where(e => !e.IsTornTail))
        {
            if (MasterEntryCodec.Decode(entry.Record.Type, entry.Record.Payload.Span) is CreateDirectoryEntry create)
                epochs[create.Path] = entry.Record.Epoch;
        }
        return epochs;
    }
}
