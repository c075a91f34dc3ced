namespace OrleansFs.Tests.Fixtures;

[CollectionDefinition(Name)]
public sealed class EnsembleCollection : ICollectionFixture<ZooKeeperEnsembleFixture>
{
    public const string Name = "ZooKeeper ensemble";
}
