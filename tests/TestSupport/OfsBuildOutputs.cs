namespace OrleansFs.TestSupport;

/// <summary>Finds the built silo and `ofs` assemblies of this checkout, in the configuration the tests were built with.</summary>
public static class OfsBuildOutputs
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The directory holding OrleansFs.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    public static string SiloDll => Find(Path.Combine("Silo", "bin"), "OrleansFs.Silo.dll");

    public static string OfsDll => Find(Path.Combine("Client", "Cli", "bin"), "ofs.dll");

    /// <summary>The configuration the tests were built with (Debug or Release).</summary>
    public static string Configuration => CurrentConfiguration();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansFs.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no OrleansFs.sln above {AppContext.BaseDirectory}");
    }

    private static string Find(string binFolder, string fileName)
    {
        string configuration = CurrentConfiguration();
        string expected = Path.Combine(RepositoryRoot, binFolder, configuration, "net10.0", fileName);
        if (File.Exists(expected)) return expected;
        throw new FileNotFoundException(
            $"{fileName} is not built for {configuration}; run `dotnet build` (test projects reference it so `dotnet test` builds it)", expected);
    }

    /// <summary>Debug or Release, read off this test assembly's own output path (…/bin/Debug/net10.0/).</summary>
    private static string CurrentConfiguration()
    {
        var parts = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        int bin = Array.LastIndexOf(parts, "bin");
        return bin >= 0 && bin + 1 < parts.Length ? parts[bin + 1] : "Debug";
    }
}
