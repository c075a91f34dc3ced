namespace OrleansFs.Unit.Tests.Journal;

/// <summary>The <see cref="MasterReplayContractTests"/> cases on the PostgreSQL journal, each in a fresh database.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlMasterReplayTests(PostgreSqlFixture postgres) : MasterReplayContractTests
{
    protected override async Task<JournalBackend> NewBackendAsync() => await PostgreSqlJournalBackend.CreateAsync(postgres);
}
