namespace OrleansFs.Tests.Fixtures;

[CollectionDefinition(Name)]
public sealed class TlsCollection : ICollectionFixture<TlsZooKeeperFixture>
{
    public const string Name = "TLS ZooKeeper";
}
