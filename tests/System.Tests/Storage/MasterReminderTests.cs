using OrleansFs.Schema;
using Npgsql;
using OrleansFs.Client;
using OrleansFs.Files;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Storage;

/// <summary>
/// The master's wake-up reminder, kept in PostgreSQL (`Storage:Kind=PostgreSql`), on real silo processes: when
/// the master's silo is SIGKILLed and no client calls, the reminder fires on the survivor, the master comes back
/// there, and a file whose TTL ran out after the kill is deleted.
/// </summary>
public sealed class MasterReminderTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WakeTimeout = TimeSpan.FromSeconds(120);
    private PostgreSqlServer _postgres = null!;
    private string _connectionString = "";
    private ClusterProcesses _cluster = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgreSqlServer.StartAsync();
        _connectionString = await _postgres.CreateDatabaseAsync();
        await PostgreSqlSchema.ApplyAsync(_connectionString, null, CancellationToken.None);
        _cluster = await ClusterProcesses.StartAsync(silos: 2, zooKeeperMembers: 1, extraSiloArguments:
        [
            "--Storage:Kind=PostgreSql",
            $"--PostgreSql:ConnectionString={_connectionString}",
            $"--Storage:MasterReminderPeriod={ReminderPeriod}",
        ]);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task AfterTheMastersSiloIsKilledItsReminderBringsTheMasterBackAndItDeletesAnExpiredFileWithoutAnyClientCall()
    {
        string path = $"/ttl-{Guid.NewGuid():N}";
        string victimAddress;
        await using (var client = await ConnectAsync())
        {
            // Long enough to outlive the master that accepted it: only a master that came back can delete it.
            await client.FileSystem.CreateFileEntryAsync(path, new CreateFileOptions { TtlMs = 20_000, TtlAction = TtlAction.Delete });
            await client.FileSystem.CompleteFileAsync(path, 0);
            victimAddress = (await client.FileSystem.GetMasterInfoAsync()).SiloAddress;
        }
        Assert.Equal(1, await ReminderRowsAsync());

        var victim = _cluster.SiloAt(victimAddress);
        var survivor = _cluster.Silos.Single(s => s != victim);
        int logBeforeKill = survivor.ReadLog().Length;
        victim.Kill();
        output.WriteLine($"SIGKILL of the master's silo {victim.SiloAddress}; no client is connected");

        string after = await WaitForLogAsync(survivor, logBeforeKill, $"TTL expired: deleted {path}");
        output.WriteLine(after);
        Assert.Contains("Master woken by its reminder", after);
        Assert.Contains($"Master activating on {survivor.SiloAddress}", after);

        await using var check = await ConnectAsync();
        Assert.False(await check.FileSystem.ExistsAsync(path));
        Assert.Equal(survivor.SiloAddress, (await check.FileSystem.GetMasterInfoAsync()).SiloAddress);
    }

    private Task<OrleansFsConnection> ConnectAsync() => OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
    {
        ZooKeeperConnectionString = _cluster.ZooKeeperConnectionString,
        ConnectTimeout = TimeSpan.FromSeconds(30),
    });

    /// <summary>The reminder rows an operator sees with psql: the master registered its one at activation.</summary>
    private async Task<long> ReminderRowsAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM OrleansRemindersTable WHERE ReminderName = 'ofs-master-wakeup'", connection);
            long rows = (long)(await command.ExecuteScalarAsync())!;
            if (rows > 0 || DateTime.UtcNow > deadline) return rows;
            await Task.Delay(200);
        }
    }

    /// <summary>The silo's log written since <paramref name="from"/>, once it contains <paramref name="line"/>.</summary>
    private static async Task<string> WaitForLogAsync(SiloProcess silo, int from, string line)
    {
        var deadline = DateTime.UtcNow + WakeTimeout;
        while (true)
        {
            string log = silo.ReadLog()[from..];
            if (log.Contains(line, StringComparison.Ordinal)) return log;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"{silo.SiloAddress} did not log '{line}' within {WakeTimeout}; its log since the kill:\n{log}");
            await Task.Delay(500);
        }
    }
}
