namespace OrleansFs.Tests.Packaging;

/// <summary>`ofs` installed the way an operator would, from the package folder, with no source tree.</summary>
[Collection(PackagingCollection.Name)]
public sealed class OfsToolTests(PackagingFixture fixture)
{
    [Fact]
    public async Task OfsInstalledAsADotnetToolListsTheRootOfARunningCluster()
    {
        var packages = fixture.Packages;
        string tools = Path.Combine(packages.WorkDirectory, $"tools-{Guid.NewGuid():N}");
        await packages.Cli.DotnetAsync(packages.WorkDirectory,
            "tool", "install", "ofs", "--version", packages.Version, "--add-source", packages.Folder, "--tool-path", tools);
        string ofs = Path.Combine(tools, "ofs");
        Assert.True(File.Exists(ofs), $"no {ofs} after dotnet tool install");

        string directory = $"/tool-check-{Guid.NewGuid():N}";
        string[] cluster = ["--zookeeper", fixture.Cluster.ZooKeeperConnectionString];
        var mkdir = await packages.Cli.RunAsync(packages.WorkDirectory, ofs, [.. cluster, "mkdir", directory]);
        Assert.True(mkdir.ExitCode == 0, mkdir.ToString());

        var ls = await packages.Cli.RunAsync(packages.WorkDirectory, ofs, [.. cluster, "ls", "/"]);
        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.Contains(ls.StdoutLines, line => line.StartsWith("drwxr-xr-x", StringComparison.Ordinal) && line.EndsWith(directory, StringComparison.Ordinal));
        Assert.Empty(ls.Stderr);
    }
}
