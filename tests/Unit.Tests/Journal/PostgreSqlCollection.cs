namespace OrleansFs.Unit.Tests.Journal;

/// <summary>The test classes sharing one PostgreSQL server (<see cref="PostgreSqlFixture"/>); they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlFixture>
{
    public const string Name = "PostgreSQL";
}
