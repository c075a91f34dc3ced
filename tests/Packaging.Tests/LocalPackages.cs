using System.IO.Compression;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Packaging;

/// <summary>
/// This checkout's packages, packed once by `deploy/pack.sh --no-build` into a temporary folder under a version
/// no earlier run used, and a working directory whose nuget.config restores them from that folder. NuGet's global
/// packages folder is private to this run (so no OrleansFs package cached by an earlier run or by a user's own
/// `deploy/pack.sh` is ever taken); everything else comes from the machine's package cache as a fallback
/// folder, and from the machine's own feeds when missing there.
/// </summary>
public sealed class LocalPackages : IDisposable
{
    private readonly TempDirectory _root;

    private LocalPackages(TempDirectory root, string version)
    {
        _root = root;
        Version = version;
        Cli = new DotnetCli(new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = GlobalPackagesFolder,
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        });
    }

    /// <summary>The package version of this run: VersionPrefix plus a suffix made for it.</summary>
    public string Version { get; }
    public string Folder => _root.Combine("packages");
    /// <summary>Holds the nuget.config; projects and tools made by the tests go below it.</summary>
    public string WorkDirectory => _root.Combine("work");
    private string GlobalPackagesFolder => _root.Combine("nuget-packages");
    public DotnetCli Cli { get; }
    /// <summary>How long deploy/pack.sh took.</summary>
    public TimeSpan PackDuration { get; private set; }

    public static async Task<LocalPackages> PackAsync()
    {
        var root = new TempDirectory("ofs-packages");
        string suffix = $"t{DateTime.UtcNow:yyyyMMddHHmmss}{Random.Shared.Next(10000):D4}";
        try
        {
            var started = DateTime.UtcNow;
            var script = Path.Combine(OfsBuildOutputs.RepositoryRoot, "deploy", "pack.sh");
            var result = await new DotnetCli(new Dictionary<string, string> { ["MSBUILDDISABLENODEREUSE"] = "1" }).RunAsync(
                OfsBuildOutputs.RepositoryRoot, "bash",
                [script, "--no-build", "--configuration", OfsBuildOutputs.Configuration, "--output", root.Combine("packages"), "--version-suffix", suffix]);
            if (result.ExitCode != 0) throw new InvalidOperationException($"deploy/pack.sh failed: {result}");
            var client = Directory.GetFiles(root.Combine("packages"), "OrleansFs.Client.*-" + suffix + ".nupkg").Single();
            string version = Path.GetFileNameWithoutExtension(client)["OrleansFs.Client.".Length..];
            var packages = new LocalPackages(root, version) { PackDuration = DateTime.UtcNow - started };
            packages.WriteNuGetConfig();
            return packages;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>The path of package <paramref name="id"/> of this run's version.</summary>
    public string PackagePath(string id) => Path.Combine(Folder, $"{id}.{Version}.nupkg");

    /// <summary>The text of one file inside a package.</summary>
    public string ReadEntry(string id, string entry)
    {
        using var zip = ZipFile.OpenRead(PackagePath(id));
        var file = zip.GetEntry(entry) ?? throw new FileNotFoundException($"{id} has no {entry}; it has: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        using var reader = new StreamReader(file.Open());
        return reader.ReadToEnd();
    }

    public IReadOnlyList<string> Entries(string id)
    {
        using var zip = ZipFile.OpenRead(PackagePath(id));
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    private void WriteNuGetConfig()
    {
        Directory.CreateDirectory(WorkDirectory);
        string machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(WorkDirectory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{GlobalPackagesFolder}" />
              </config>
              <packageSources>
                <add key="orleansfs-under-test" value="{Folder}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{machineCache}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        // Nothing of a build setup above the temporary directory may reach the projects made here.
        File.WriteAllText(Path.Combine(WorkDirectory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(WorkDirectory, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(WorkDirectory, "Directory.Packages.props"), "<Project />");
    }

    public void Dispose() => _root.Dispose();
}
