namespace OrleansFs.Lineage;

/// <summary>How a lineage's job runs: a program started on a silo, or a .NET type loaded in the silo.</summary>
[GenerateSerializer]
[Alias("OrleansFs.LineageJobKind")]
public enum LineageJobKind
{
    /// <summary>An executable with arguments, started directly (never through a shell), as Tachyon's CommandLineJob.</summary>
    CommandLine = 0,
    /// <summary>A type implementing <c>ILineageJob</c>, found by name among the silo's loaded assemblies.</summary>
    InProcess = 1,
}
