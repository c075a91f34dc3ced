using OrleansFs.TestSupport;

namespace OrleansFs.Tests;

/// <summary>
/// A real PostgreSQL 15 and three real silo processes with <c>--Cluster:Membership=PostgreSql</c> in one of its
/// databases (fresh: the first silo applies the schema), sharing one journal and under-storage directory.
/// </summary>
public sealed class PostgreSqlClusterFixture : IAsyncLifetime
{
    private PostgreSqlServer? _server;
    private ClusterProcesses? _cluster;

    public PostgreSqlServer Server => _server ?? throw new InvalidOperationException("not started");
    public ClusterProcesses Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        try
        {
            _server = await PostgreSqlServer.StartAsync();
            _cluster = await ClusterProcesses.StartPostgreSqlAsync(await _server.CreateDatabaseAsync());
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: stop what did start.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }
}
