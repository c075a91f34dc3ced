using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.TestSupport;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>`ofs journal dump DIR` and `ofs journal dump --postgres CONNSTR` print the same history for the same masters' work.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class JournalDumpTests(PostgreSqlFixture postgres)
{
    [Fact]
    public async Task The_PostgreSQL_dump_prints_the_same_history_as_the_directory_dump()
    {
        await using var directory = new DirectoryJournalBackend();
        await using var database = await PostgreSqlJournalBackend.CreateAsync(postgres);
        foreach (JournalBackend backend in new JournalBackend[] { directory, database }) await RunTwoMastersAsync(backend);

        var fromDirectory = OfsAssert(await OfsRunner.RunRawAsync(["journal", "dump", directory.Directory]));
        var fromDatabase = OfsAssert(await OfsRunner.RunRawAsync(["journal", "dump", "--postgres", database.ConnectionString]));

        Assert.Equal(History(fromDirectory), History(fromDatabase));
        Assert.Contains(History(fromDatabase), l => l.Contains("Rename") && l.EndsWith("/docs/b"));
        Assert.Equal(Epochs(fromDirectory), Epochs(fromDatabase));
        Assert.Contains("checkpoint at sequence", fromDatabase.Stdout);
    }

    [Fact]
    public async Task The_PostgreSQL_dump_fails_naming_a_damaged_record()
    {
        await using var database = await PostgreSqlJournalBackend.CreateAsync(postgres);
        await RunTwoMastersAsync(database);
        await database.DamageRecordAsync(2);

        var result = await OfsRunner.RunRawAsync(["journal", "dump", "--postgres", database.ConnectionString]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("damaged at sequence 2", result.Stderr);
    }

    private static async Task RunTwoMastersAsync(JournalBackend backend)
    {
        await using (var first = await StartAsync(backend))
        {
            await first.CreateDirectory("/docs", recursive: false, Guid.NewGuid());
            await first.CreateFile("/docs/a", new CreateFileOptions(), Guid.NewGuid());
            await first.CompleteFile("/docs/a", 42, Guid.NewGuid());
            await first.CheckpointAsync();
            await first.Rename("/docs/a", "/docs/b", Guid.NewGuid());
        }
        await using var second = await StartAsync(backend);
        await second.Delete("/docs/b", recursive: false, Guid.NewGuid());
    }

    private static async Task<MasterService> StartAsync(JournalBackend backend)
    {
        var master = new MasterService(backend.Open(), new MasterOptions(), new JournalOptions(), TimeProvider.System, null, NullLogger.Instance);
        await master.RecoverAsync("127.0.0.1:11111", CancellationToken.None);
        return master;
    }

    private static OfsResult OfsAssert(OfsResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>The record lines: everything after the column header.</summary>
    private static string[] History(OfsResult dump) => dump.StdoutLines.SkipWhile(l => !l.StartsWith("SEQUENCE")).ToArray();

    private static string[] Epochs(OfsResult dump) => dump.StdoutLines.Where(l => l.StartsWith("epoch ")).ToArray();
}
