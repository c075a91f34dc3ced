namespace OrleansFs.Unit.Tests.Journal;

/// <summary>The <see cref="TailerContractTests"/> cases on the PostgreSQL journal, each in a fresh schema.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlTailerTests(PostgreSqlFixture postgres) : TailerContractTests
{
    protected override async Task<JournalBackend> NewBackendAsync() => await PostgreSqlJournalBackend.CreateAsync(postgres);
}
