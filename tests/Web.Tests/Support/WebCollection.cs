namespace OrleansFs.Tests.Web.Support;

/// <summary>One browser and one silo for all web test classes: starting either takes seconds.</summary>
[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<Browser>, ICollectionFixture<WebSiloFixture>
{
    public const string Name = "web";
}
