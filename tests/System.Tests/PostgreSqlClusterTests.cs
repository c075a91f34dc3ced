using Npgsql;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests;

/// <summary>
/// Silo processes with their Orleans membership in PostgreSQL, checked the way an operator would: `ofs --postgres`
/// (report, ls) and psql-like reads of OrleansMembershipTable; and `ofs format --postgres` on a fresh database.
/// </summary>
public sealed class PostgreSqlClusterTests(PostgreSqlClusterFixture fixture) : IClassFixture<PostgreSqlClusterFixture>
{
    private const int ActiveStatus = 3;
    private const int DeadStatus = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private ClusterProcesses Cluster => fixture.Cluster;

    [Fact]
    public async Task Three_silos_form_one_cluster_that_ofs_finds_through_postgres()
    {
        var report = await WaitForReportAsync(r => Cluster.Silos.All(s => OfsReport.ShowsActive(r, s)));
        string directory = $"/pg-members-{Guid.NewGuid():N}";
        var mkdir = await OfsAsync("mkdir", directory);
        var ls = await OfsAsync("ls", "/");

        Assert.All(Cluster.Silos, s => Assert.True(OfsReport.ShowsActive(report, s), $"{s.SiloAddress} not Active in:\n{report}"));
        Assert.Equal(0, mkdir.ExitCode);
        Assert.Equal(0, ls.ExitCode);
        Assert.Contains(directory.TrimStart('/'), ls.Stdout);
        foreach (var silo in Cluster.Silos)
            Assert.Equal(ActiveStatus, await LatestStatusAsync(silo));
    }

    [Fact]
    public async Task A_silo_killed_with_SIGKILL_is_declared_dead_in_the_table_and_in_ofs_report()
    {
        await WaitForReportAsync(r => Cluster.Silos.All(s => OfsReport.ShowsActive(r, s)));
        var victim = Cluster.Silos[^1];
        var survivors = Cluster.Silos.Where(s => s != victim).ToList();
        try
        {
            victim.Kill();

            var deadline = DateTime.UtcNow + Patience;
            int? status = null;
            while (DateTime.UtcNow < deadline && (status = await LatestStatusAsync(victim)) != DeadStatus)
                await Task.Delay(500);
            var report = await WaitForReportAsync(r => r.StdoutLines.Any(l => l.StartsWith(victim.SiloAddress + " ") && l.Contains("Dead")));

            Assert.Equal(DeadStatus, status);
            Assert.Contains(report.StdoutLines, l => l.StartsWith(victim.SiloAddress + " ") && l.Contains("Dead"));
            Assert.All(survivors, s => Assert.True(OfsReport.ShowsActive(report, s), $"{s.SiloAddress} not Active in:\n{report}"));
        }
        finally
        {
            await Cluster.HealAsync();
        }
    }

    [Fact]
    public async Task Format_applies_every_script_once_and_a_second_run_changes_nothing()
    {
        string database = await fixture.Server.CreateDatabaseAsync();

        var first = await OfsRunner.RunRawAsync(["format", "--postgres", database]);
        var versionsAfterFirst = await RowsAsync(database, "SELECT script || ' ' || applied_at::text FROM ofs_schema_version ORDER BY script");
        var catalogAfterFirst = await CatalogAsync(database);
        var second = await OfsRunner.RunRawAsync(["format"], new Dictionary<string, string> { ["OFS_POSTGRES"] = database });

        Assert.True(first.ExitCode == 0, first.ToString());
        foreach (string script in new[] { "journal/001_journal.sql", "orleans/001_main.sql", "orleans/002_clustering.sql", "orleans/003_persistence.sql", "orleans/004_reminders.sql" })
        {
            Assert.Contains($"applying {script}", first.StdoutLines);
            Assert.Contains(versionsAfterFirst, v => v.StartsWith(script + " ", StringComparison.Ordinal));
        }
        Assert.Contains("applied 5 of 5 scripts", first.StdoutLines);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain(second.StdoutLines, l => l.StartsWith("applying", StringComparison.Ordinal));
        Assert.Contains("schema up to date (5 scripts applied earlier)", second.StdoutLines);
        // Nothing rewritten: the same version rows, and every table, function and query row the same tuple as before.
        Assert.Equal(versionsAfterFirst, await RowsAsync(database, "SELECT script || ' ' || applied_at::text FROM ofs_schema_version ORDER BY script"));
        Assert.Equal(catalogAfterFirst, await CatalogAsync(database));
        Assert.Contains(catalogAfterFirst, c => c.StartsWith("query GatewaysQueryKey ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Format_without_a_database_says_how_to_give_one()
    {
        var result = await OfsRunner.RunRawAsync(["format"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("ofs: format: give the database: --postgres CONNSTR or $OFS_POSTGRES", result.Stderr.Trim());
    }

    private Task<OfsResult> OfsAsync(params string[] args) => OfsRunner.RunRawAsync([.. Cluster.ClientArguments, .. args]);

    private Task<OfsResult> WaitForReportAsync(Func<OfsResult, bool> done) => OfsReport.WaitAsync(Cluster.ClientArguments, Patience, done);

    /// <summary>The Status of the silo's newest incarnation, as `SELECT ... FROM OrleansMembershipTable` shows it.</summary>
    private async Task<int?> LatestStatusAsync(SiloProcess silo)
    {
        await using var connection = new NpgsqlConnection(Cluster.PostgreSqlConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT Status FROM OrleansMembershipTable WHERE Address = '127.0.0.1' AND Port = @port ORDER BY Generation DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("port", silo.SiloPort);
        return await command.ExecuteScalarAsync() is int status ? status : null;
    }

    /// <summary>Each table, index, function and Orleans query with the transaction that last wrote its row.</summary>
    private static Task<List<string>> CatalogAsync(string database) => RowsAsync(database, """
        SELECT 'relation ' || relname || ' ' || oid || ' ' || xmin::text FROM pg_class WHERE relnamespace = 'public'::regnamespace
        UNION ALL SELECT 'function ' || proname || ' ' || oid || ' ' || xmin::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace
        UNION ALL SELECT 'query ' || querykey || ' ' || xmin::text FROM orleansquery
        ORDER BY 1
        """);

    private static async Task<List<string>> RowsAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
