using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Journal.PostgreSql;
using OrleansFs.Grains.Master;
using OrleansFs.TestSupport;

// PostgreSQL journal benchmark: durable creates per second through the master (in-process MasterService, as
// bench/Master.Bench measures them) at 1, 8 and 32 callers on the PostgreSQL journal, next to the directory journal
// (fsync on) in the same run; the peer is plain single-row INSERT+COMMIT transactions from as many connections
// into a table shaped like ofs_journal_records. PostgreSQL is a real 15 started by initdb/pg_ctl in a temporary
// directory (fsync and synchronous_commit on: a commit waits for the WAL flush, as a durable create must).
// Usage: dotnet run -c Release --project bench/PostgreSql.Bench -- [--seconds N] [--connection CONNSTR]

double seconds = double.Parse(ArgValue("--seconds") ?? "5");
int[] callerCounts = [1, 8, 32];
Console.WriteLine($"postgresql journal bench, {Environment.ProcessorCount} cores, {seconds}s per run, load average {File.ReadAllText("/proc/loadavg").Trim()}");

await using var server = ArgValue("--connection") is null ? await PostgreSqlServer.StartAsync(durable: true) : null;
string connectionString = ArgValue("--connection") ?? await server!.CreateDatabaseAsync();
string journalRoot = Path.Combine(Path.GetTempPath(), "ofs-pg-bench-" + Environment.ProcessId);
try
{
    foreach (int callers in callerCounts)
    {
        double peer = await PlainInserts(connectionString, callers, seconds);
        var directory = await DurableCreates(DirectoryMaster(Path.Combine(journalRoot, $"dir-{callers}")), callers, seconds);
        var postgres = await DurableCreates(await PostgreSqlMaster(connectionString), callers, seconds);
        Console.WriteLine($"{callers,2} callers: postgresql journal {postgres.PerSecond,8:N0} creates/s (p50 {postgres.P50:F2} ms, p99 {postgres.P99:F2} ms, " +
                          $"{postgres.PerFlush:F1} records/flush) = {postgres.PerSecond / peer:F1}x peer | directory journal {directory.PerSecond,8:N0} creates/s " +
                          $"(p50 {directory.P50:F2} ms) | peer INSERT+COMMIT {peer,8:N0} tx/s");
    }
}
finally
{
    if (Directory.Exists(journalRoot)) Directory.Delete(journalRoot, recursive: true);
    Console.WriteLine($"load average at the end {File.ReadAllText("/proc/loadavg").Trim()}");
}

MasterService DirectoryMaster(string directory) => NewMaster(new DirectoryJournalFactory(
    Options.Create(new JournalOptions { Directory = directory, Fsync = true }), NullLoggerFactory.Instance).Create());

async Task<MasterService> PostgreSqlMaster(string connection)
{
    // A fresh schema per run: each master starts on an empty journal, as the directory one does.
    await using (var data = NpgsqlDataSource.Create(connection))
    {
        await using var drop = data.CreateCommand(
            "DROP TABLE IF EXISTS ofs_journal_records, ofs_journal_checkpoints, ofs_journal_checkpoint_chunks, ofs_journal_epochs, ofs_journal_fence; " +
            // The applier records what it applied: forget the journal script so the next master creates the tables again.
            "DO $$ BEGIN IF to_regclass('ofs_schema_version') IS NOT NULL THEN DELETE FROM ofs_schema_version WHERE script LIKE 'journal/%'; END IF; END $$");
        await drop.ExecuteNonQueryAsync();
    }
    return NewMaster(new PostgreSqlJournalFactory(Options.Create(new PostgreSqlOptions { ConnectionString = connection }), NullLoggerFactory.Instance).Create());
}

MasterService NewMaster(IJournal journal) => new(journal, new MasterOptions(),
    // Checkpoints are not what is measured.
    new JournalOptions { CheckpointRecords = long.MaxValue / 2, CheckpointBytes = long.MaxValue / 2 },
    TimeProvider.System, null, NullLogger.Instance);

// Callers take turns on the master's synchronous part (as a grain's turns would) and await durability outside it.
async Task<(double PerSecond, double P50, double P99, double PerFlush)> DurableCreates(MasterService master, int callers, double duration)
{
    await using var _ = master;
    await master.RecoverAsync("127.0.0.1:11111", CancellationToken.None);
    await master.CreateDirectory("/load", true, Guid.NewGuid());
    long flushesBefore = master.Journal.Stats.Flushes;
    var gate = new object();
    var latencies = new List<double>();
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
    {
        var mine = new List<double>(1 << 14);
        for (int i = 0; clock.Elapsed.TotalSeconds < duration; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Task call;
            lock (gate) call = master.CreateFile($"/load/c{c:D2}-{i:D8}", new CreateFileOptions(), Guid.NewGuid());
            await call;
            mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        lock (latencies) latencies.AddRange(mine);
    })));
    double elapsed = clock.Elapsed.TotalSeconds;
    latencies.Sort();
    double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
    return (latencies.Count / elapsed, P(0.5), P(0.99), latencies.Count / (double)Math.Max(1, master.Journal.Stats.Flushes - flushesBefore));
}

// The peer: what an application gets from PostgreSQL writing one row per transaction from each connection.
async Task<double> PlainInserts(string connection, int connections, double duration)
{
    await using var data = NpgsqlDataSource.Create(connection);
    await using (var create = data.CreateCommand(
        "DROP TABLE IF EXISTS bench_plain; CREATE TABLE bench_plain (seq bigint PRIMARY KEY, epoch bigint NOT NULL, type integer NOT NULL, crc integer NOT NULL, payload bytea NOT NULL)"))
        await create.ExecuteNonQueryAsync();
    long next = 0, done = 0;
    byte[] payload = new byte[100];
    new Random(1).NextBytes(payload);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
    {
        await using var conn = await data.OpenConnectionAsync();
        while (clock.Elapsed.TotalSeconds < duration)
        {
            await using var tx = await conn.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO bench_plain (seq, epoch, type, crc, payload) VALUES ($1, 1, 1, 0, $2)", conn, tx);
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Interlocked.Increment(ref next) });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload });
            await insert.ExecuteNonQueryAsync();
            await tx.CommitAsync();
            Interlocked.Increment(ref done);
        }
    })));
    return done / clock.Elapsed.TotalSeconds;
}

string? ArgValue(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
