namespace OrleansFs.Tests.Packaging;

/// <summary>One pack and one cluster for every test of this project.</summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackagingFixture>
{
    public const string Name = "Packaging";
}
