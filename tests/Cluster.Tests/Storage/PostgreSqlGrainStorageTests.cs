using OrleansFs.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansFs.Grains.Storage;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Storage;

/// <summary>
/// Orleans' ADO.NET grain storage on a real PostgreSQL 15 through our deploy/sql/orleans scripts, as
/// `Storage:Kind=PostgreSql` registers it in a silo: state round trips, and a stale writer is refused.
/// </summary>
public sealed class PostgreSqlGrainStorageTests(PostgreSqlStorageFixture fixture) : IClassFixture<PostgreSqlStorageFixture>
{
    private const string StateName = "progress";
    private static readonly GrainId Grain = GrainId.Create("ofs-storage-test", "42");

    [Fact]
    public async Task StateWrittenByOneSiloIsReadBackByAnotherWithItsVersion()
    {
        string connectionString = await fixture.CreateOrleansSchemaAsync();
        await using (var writer = await StorageSilo.StartAsync(connectionString))
        {
            var state = new GrainState<ProbeState>(new ProbeState { Path = "/a/b", CopiedBlocks = [1, 2, 3] });
            await writer.Storage.WriteStateAsync(StateName, Grain, state);
            Assert.Equal("1", state.ETag);
            state.State.CopiedBlocks.Add(4);
            await writer.Storage.WriteStateAsync(StateName, Grain, state);
            Assert.Equal("2", state.ETag);
        }

        await using var reader = await StorageSilo.StartAsync(connectionString);
        var read = new GrainState<ProbeState>();
        await reader.Storage.ReadStateAsync(StateName, Grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal("2", read.ETag);
        Assert.Equal("/a/b", read.State.Path);
        Assert.Equal([1, 2, 3, 4], read.State.CopiedBlocks);
        // One row, at the version the provider reported: what an operator sees with psql.
        Assert.Equal(2, await ScalarAsync(connectionString, "SELECT Version FROM OrleansStorage"));
    }

    [Fact]
    public async Task AStaleWriterGetsInconsistentStateAndTheNewerStateStays()
    {
        string connectionString = await fixture.CreateOrleansSchemaAsync();
        await using var silo = await StorageSilo.StartAsync(connectionString);
        await silo.Storage.WriteStateAsync(StateName, Grain, new GrainState<ProbeState>(new ProbeState { Path = "/first" }));

        var fresh = new GrainState<ProbeState>();
        var stale = new GrainState<ProbeState>();
        await silo.Storage.ReadStateAsync(StateName, Grain, fresh);
        await silo.Storage.ReadStateAsync(StateName, Grain, stale);
        fresh.State.Path = "/fresh";
        await silo.Storage.WriteStateAsync(StateName, Grain, fresh);
        stale.State.Path = "/stale";
        await Assert.ThrowsAsync<InconsistentStateException>(() => silo.Storage.WriteStateAsync(StateName, Grain, stale));

        var read = new GrainState<ProbeState>();
        await silo.Storage.ReadStateAsync(StateName, Grain, read);
        Assert.Equal("/fresh", read.State.Path);
        Assert.Equal(fresh.ETag, read.ETag);
    }

    [Fact]
    public async Task OfTwoFirstWritersOnlyOneCreatesTheState()
    {
        string connectionString = await fixture.CreateOrleansSchemaAsync();
        await using var silo = await StorageSilo.StartAsync(connectionString);
        await silo.Storage.WriteStateAsync(StateName, Grain, new GrainState<ProbeState>(new ProbeState { Path = "/one" }));

        // Never read, so it believes there is no state yet.
        var second = new GrainState<ProbeState>(new ProbeState { Path = "/two" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => silo.Storage.WriteStateAsync(StateName, Grain, second));
        Assert.Equal(1, await ScalarAsync(connectionString, "SELECT count(*)::integer FROM OrleansStorage"));
    }

    [Fact]
    public async Task TheScriptsApplyTwiceWithoutChangingAnything()
    {
        string connectionString = await fixture.CreateOrleansSchemaAsync();
        int queries = await ScalarAsync(connectionString, "SELECT count(*)::integer FROM OrleansQuery");
        var applied = await PostgreSqlSchema.ApplyAsync(connectionString, null, CancellationToken.None);
        Assert.Empty(applied);
        Assert.Equal(queries, await ScalarAsync(connectionString, "SELECT count(*)::integer FROM OrleansQuery"));
        Assert.Equal(11, await ScalarAsync(connectionString,
            "SELECT count(*)::integer FROM OrleansQuery WHERE QueryKey LIKE '%Storage%' OR QueryKey LIKE '%Reminder%' OR QueryKey LIKE 'ReadRangeRows%'"));
    }

    private static async Task<int> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    [GenerateSerializer]
    public sealed class ProbeState
    {
        [Id(0)] public string Path { get; set; } = "";
        [Id(1)] public List<long> CopiedBlocks { get; set; } = [];
    }

    /// <summary>A silo with only OrleansFs's storage registration, as AddOrleansFs makes it from configuration.</summary>
    private sealed class StorageSilo(IHost host) : IAsyncDisposable
    {
        public IGrainStorage Storage => host.Services.GetRequiredKeyedService<IGrainStorage>(StorageSiloBuilderExtensions.GrainStorageName);

        public static async Task<StorageSilo> StartAsync(string connectionString)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Kind"] = "PostgreSql",
                ["PostgreSql:ConnectionString"] = connectionString,
            }).Build();
            var host = new HostBuilder()
                .UseOrleans(silo =>
                {
                    silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next());
                    silo.Configure<ClusterOptions>(o => { o.ClusterId = "storage-test"; o.ServiceId = "storage-test"; });
                    silo.AddOrleansFsStorage(configuration);
                })
                .Build();
            await host.StartAsync();
            return new StorageSilo(host);
        }

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
