namespace OrleansFs.Unit.Tests.Journal;

/// <summary>The <see cref="FencingContractTests"/> cases on the PostgreSQL journal, each in a fresh schema.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlFencingTests(PostgreSqlFixture postgres) : FencingContractTests
{
    protected override async Task<JournalBackend> NewBackendAsync() => await PostgreSqlJournalBackend.CreateAsync(postgres);
}
