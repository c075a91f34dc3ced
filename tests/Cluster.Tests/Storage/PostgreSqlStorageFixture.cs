using OrleansFs.Schema;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Storage;

/// <summary>One PostgreSQL 15 server for the storage tests; each test takes a fresh schema with the Orleans tables.</summary>
public sealed class PostgreSqlStorageFixture : IAsyncLifetime
{
    private PostgreSqlServer? _server;

    public PostgreSqlServer Server => _server ?? throw new InvalidOperationException("the PostgreSQL server has not started");

    public async Task InitializeAsync() => _server = await PostgreSqlServer.StartAsync();

    /// <summary>A fresh schema with deploy/sql/orleans/003 and 004 applied.</summary>
    public async Task<string> CreateOrleansSchemaAsync()
    {
        string connectionString = await Server.CreateSchemaAsync();
        await PostgreSqlSchema.ApplyAsync(connectionString, null, CancellationToken.None);
        return connectionString;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
