using System.Text.RegularExpressions;

namespace OrleansFs.Tests.Packaging;

/// <summary>What a user sees of each package before using it: readme, API docs, licence, source, one version.</summary>
[Collection(PackagingCollection.Name)]
public sealed class PackageContentsTests(PackagingFixture fixture)
{
    private LocalPackages Packages => fixture.Packages;

    [Theory]
    [InlineData("OrleansFs.Client")]
    [InlineData("OrleansFs.ZooKeeper")]
    [InlineData("OrleansFs.Clustering.ZooKeeper")]
    [InlineData("OrleansFs.Format")]
    [InlineData("OrleansFs.Grains.Interfaces")]
    [InlineData("OrleansFs.Security")]
    public void ALibraryPackageCarriesItsReadmeXmlDocsLicenceAndSourceCommit(string id)
    {
        var entries = Packages.Entries(id);
        Assert.Contains("README.md", entries);
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);
        Assert.Contains("<summary>", Packages.ReadEntry(id, $"lib/net10.0/{id}.xml"));
        Assert.StartsWith($"# {id}", Packages.ReadEntry(id, "README.md"));

        string nuspec = Packages.ReadEntry(id, $"{id}.nuspec");
        Assert.Contains($"<version>{Packages.Version}</version>", nuspec);
        Assert.Contains("<license type=\"expression\">MIT</license>", nuspec);
        Assert.Contains("<readme>README.md</readme>", nuspec);
        Assert.Matches(new Regex("<repository type=\"git\"[^>]* commit=\"[0-9a-f]{40}\""), nuspec);
        Assert.True(File.Exists(Path.ChangeExtension(Packages.PackagePath(id), ".snupkg")), $"{id} has no symbol package");
    }

    [Fact]
    public void TheClientPackageBringsItsContractsAndFormatsAsPackagesOfTheSameVersion()
    {
        string nuspec = Packages.ReadEntry("OrleansFs.Client", "OrleansFs.Client.nuspec");
        foreach (string dependency in new[] { "OrleansFs.Grains.Interfaces", "OrleansFs.Format", "OrleansFs.Security", "OrleansFs.Clustering.ZooKeeper" })
            Assert.Contains($"<dependency id=\"{dependency}\" version=\"{Packages.Version}\"", nuspec);
        Assert.Contains($"<dependency id=\"OrleansFs.ZooKeeper\" version=\"{Packages.Version}\"",
            Packages.ReadEntry("OrleansFs.Clustering.ZooKeeper", "OrleansFs.Clustering.ZooKeeper.nuspec"));
    }

    [Fact]
    public void TheOfsPackageIsADotnetToolWhoseCommandIsOfs()
    {
        string nuspec = Packages.ReadEntry("ofs", "ofs.nuspec");
        Assert.Contains("<packageType name=\"DotnetTool\" />", nuspec);
        Assert.Contains("<readme>README.md</readme>", nuspec);
        Assert.Contains("<Command Name=\"ofs\" EntryPoint=\"ofs.dll\"", Packages.ReadEntry("ofs", "tools/net10.0/any/DotnetToolSettings.xml"));
    }

    [Fact]
    public void NothingElseIsPacked()
    {
        var ids = Directory.GetFiles(Packages.Folder, "*.nupkg")
            .Select(f => Path.GetFileName(f)[..^($".{Packages.Version}.nupkg".Length)])
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            ["OrleansFs.Client", "OrleansFs.Clustering.ZooKeeper", "OrleansFs.Format", "OrleansFs.Grains.Interfaces", "OrleansFs.Security", "OrleansFs.ZooKeeper", "ofs"],
            ids);
    }
}
