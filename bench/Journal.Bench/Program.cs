using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Grains.Journal;

// Journal benchmark: group-commit append throughput with fsync at 1/8/64 concurrent appenders (against the
// peer "one write+fsync per record" measured in the same run), and recovery time of 1,000,000 records.
// Usage: dotnet run -c Release --project bench/Journal.Bench -- [--dir DIR] [--seconds N] [--records N]

string root = ArgValue("--dir") ?? Path.Combine(Path.GetTempPath(), "ofs-journal-bench-" + Environment.ProcessId);
double seconds = double.Parse(ArgValue("--seconds") ?? "5");
int records = int.Parse(ArgValue("--records") ?? "1000000");
const int PayloadBytes = 100;
byte[] payload = new byte[PayloadBytes];
new Random(1).NextBytes(payload);

Directory.CreateDirectory(root);
Console.WriteLine($"journal bench in {root}, {Environment.ProcessorCount} cores, {PayloadBytes}-byte payloads, {seconds}s per run");
try
{
    double peer = NaiveFsyncPerRecord(Path.Combine(root, "naive.log"), seconds);
    Console.WriteLine($"peer: one write+fsync per record        {peer,10:N0} records/s");
    foreach (int appenders in new[] { 1, 8, 64 })
    {
        var result = await GroupCommit(Path.Combine(root, $"append-{appenders}"), appenders, seconds);
        Console.WriteLine($"group commit, {appenders,2} appenders, fsync on  {result.PerSecond,10:N0} appends/s  " +
            $"({result.PerSecond / peer:F1}x peer)  {result.RecordsPerFlush,6:F1} records/flush  " +
            $"p50 {result.P50Ms:F2} ms  p99 {result.P99Ms:F2} ms");
    }
    await Recovery(Path.Combine(root, "recovery"), records);
}
finally
{
    if (ArgValue("--dir") is null) Directory.Delete(root, recursive: true);
}

double NaiveFsyncPerRecord(string path, double duration)
{
    using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
    byte[] frame = new byte[RecordFrame.FrameSize(PayloadBytes)];
    long offset = 0, count = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < duration)
    {
        RecordFrame.Write(frame, count + 1, 1, 1, payload);
        RandomAccess.Write(handle, frame, offset);
        RandomAccess.FlushToDisk(handle);
        offset += frame.Length;
        count++;
    }
    return count / clock.Elapsed.TotalSeconds;
}

async Task<(double PerSecond, double RecordsPerFlush, double P50Ms, double P99Ms)> GroupCommit(string directory, int appenders, double duration)
{
    await using var journal = Open(directory, fsync: true);
    await journal.RecoverAsync((_, _) => Task.CompletedTask, _ => { }, CancellationToken.None);
    var latencies = new List<double>[appenders];
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, appenders).Select(a => Task.Run(async () =>
    {
        var mine = latencies[a] = new List<double>(1 << 16);
        while (clock.Elapsed.TotalSeconds < duration)
        {
            long started = Stopwatch.GetTimestamp();
            await journal.Append(1, payload);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    })));
    double elapsed = clock.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return (all.Length / elapsed, (double)all.Length / journal.Stats.Flushes,
        all[all.Length / 2], all[(int)(all.Length * 0.99)]);
}

async Task Recovery(string directory, int count)
{
    // Filling is setup, not measured: no fsync, many appenders.
    await using (var writer = Open(directory, fsync: false))
    {
        await writer.RecoverAsync((_, _) => Task.CompletedTask, _ => { }, CancellationToken.None);
        const int inFlight = 4096;
        var pending = new Task<long>[inFlight];
        for (int i = 0; i < count; i++)
        {
            if (pending[i % inFlight] is { } previous) await previous;
            pending[i % inFlight] = writer.Append(1, payload);
        }
        await Task.WhenAll(pending.Where(t => t is not null));
    }
    long bytes = Directory.GetFiles(Path.Combine(directory, "log")).Sum(f => new FileInfo(f).Length);

    for (int run = 1; run <= 3; run++)
    {
        long checksum = 0;
        await using var journal = Open(directory, fsync: true);
        var clock = Stopwatch.StartNew();
        var result = await journal.RecoverAsync((_, _) => Task.CompletedTask,
            record => checksum += record.Payload.Span[0] + record.Sequence, CancellationToken.None);
        clock.Stop();
        Console.WriteLine($"recovery run {run}: {result.RecordsReplayed:N0} records ({bytes / 1e6:F0} MB of log) in " +
            $"{clock.Elapsed.TotalMilliseconds:N0} ms = {result.RecordsReplayed / clock.Elapsed.TotalSeconds:N0} records/s (checksum {checksum})");
    }
}

DirectoryJournal Open(string directory, bool fsync) => new(
    new JournalOptions { Directory = directory, Fsync = fsync }, NullLogger<DirectoryJournal>.Instance);

string? ArgValue(string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
