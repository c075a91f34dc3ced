namespace OrleansFs.Unit.Tests.Journal;

/// <summary>The <see cref="JournalContractTests"/> cases on the PostgreSQL journal, each in a fresh schema.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlJournalContractTests(PostgreSqlFixture postgres) : JournalContractTests
{
    protected override async Task<JournalBackend> NewBackendAsync() => await PostgreSqlJournalBackend.CreateAsync(postgres);
}
