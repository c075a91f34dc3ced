namespace OrleansFs.Tests.Fixtures;

[CollectionDefinition(Name)]
public sealed class StandaloneCollection : ICollectionFixture<StandaloneZooKeeperFixture>
{
    public const string Name = "standalone ZooKeeper";
}
