using OrleansFs.TestSupport;

namespace OrleansFs.Unit.Tests.Logging;

/// <summary>
/// The built product assemblies: every OrleansFs assembly next to the silo and next to `ofs` (so a project
/// split off later is covered without listing it here), read from disk rather than loaded.
/// </summary>
public static class ProductAssemblies
{
    /// <summary>Assemblies that must be among them, so a scan cannot pass by finding nothing.</summary>
    public static readonly string[] Required =
    [
        "OrleansFs.Grains.dll", "OrleansFs.Grains.Interfaces.dll", "OrleansFs.Silo.dll", "OrleansFs.Client.dll",
        "OrleansFs.Clustering.ZooKeeper.dll", "ofs.dll",
    ];

    public static IReadOnlyList<string> Paths { get; } = Find();

    private static List<string> Find()
    {
        var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string directory in new[] { OfsBuildOutputs.SiloDll, OfsBuildOutputs.OfsDll }.Select(Path.GetDirectoryName))
        {
            foreach (string file in Directory.EnumerateFiles(directory!, "*.dll"))
            {
                string name = Path.GetFileName(file);
                if (IsProduct(name)) byName.TryAdd(name, file);
            }
        }
        return [.. byName.Values];
    }

    private static bool IsProduct(string fileName) =>
        (fileName.StartsWith("OrleansFs.", StringComparison.Ordinal) || fileName == "ofs.dll")
        && !fileName.Contains("Test", StringComparison.Ordinal)
        && !fileName.Contains("Bench", StringComparison.Ordinal);
}
