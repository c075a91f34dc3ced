namespace OrleansFs.Tests.Web.Support;

/// <summary>Finds the built silo next to the test assembly's build (same configuration, same framework).</summary>
public static class SiloBinaries
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string SiloDirectory
    {
        get
        {
            // bin/<Configuration>/<framework>/ of this test project mirrors the silo's.
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string framework = testBin.Name;
            string configuration = testBin.Parent!.Name;
            return Path.Combine(RepositoryRoot, "Silo", "bin", configuration, framework);
        }
    }

    public static string SiloDll => Path.Combine(SiloDirectory, "OrleansFs.Silo.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansFs.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"OrleansFs.sln not found above {AppContext.BaseDirectory}");
    }
}
