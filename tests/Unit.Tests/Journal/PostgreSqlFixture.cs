using OrleansFs.TestSupport;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>One PostgreSQL server for every test class in the collection; each test takes a fresh schema (as good as a database for the journal tables, and much faster).</summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    private PostgreSqlServer? _server;

    public PostgreSqlServer Server => _server ?? throw new InvalidOperationException("the PostgreSQL server has not started");

    public async Task InitializeAsync() => _server = await PostgreSqlServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
