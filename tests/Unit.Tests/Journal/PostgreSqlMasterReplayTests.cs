namespace OrleansFs.Unit.Tests.Journal;

/// <summary>The <see cref="MasterReplayContractTests"/> property on the PostgreSQL journal: one schema, emptied for each sample.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlMasterReplayTests(PostgreSqlFixture postgres) : MasterReplayContractTests
{
    private string? _database;

    protected override async Task<JournalBackend> NewBackendAsync() =>
        await PostgreSqlJournalBackend.EmptiedAsync(_database ??= await postgres.Server.CreateSchemaAsync());
}
