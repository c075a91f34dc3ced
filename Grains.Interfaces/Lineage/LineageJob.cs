namespace OrleansFs.Lineage;

/// <summary>The job a lineage re-runs to rebuild its outputs.</summary>
[GenerateSerializer]
[Alias("OrleansFs.LineageJob")]
public sealed record LineageJob
{
    [Id(0)] public LineageJobKind Kind { get; init; }
    /// <summary>Command-line jobs: the program, a full path or a name resolved against <c>Lineage:CommandJobs:Directory</c>.</summary>
    [Id(1)] public string? Executable { get; init; }
    /// <summary>Command-line jobs: the program's arguments, passed as they are (no shell).</summary>
    [Id(2)] public string[] Arguments { get; init; } = [];
    [Id(3)] public string? WorkingDirectory { get; init; }
    /// <summary>In-process jobs: the full name of the <c>ILineageJob</c> type.</summary>
    [Id(4)] public string? TypeName { get; init; }
    /// <summary>In-process jobs: arguments handed to the job.</summary>
    [Id(5)] public string[] JobArguments { get; init; } = [];

    public static LineageJob CommandLine(string executable, params string[] arguments) =>
        new() { Kind = LineageJobKind.CommandLine, Executable = executable, Arguments = arguments };

    public static LineageJob InProcess(string typeName, params string[] jobArguments) =>
        new() { Kind = LineageJobKind.InProcess, TypeName = typeName, JobArguments = jobArguments };

    /// <summary>One line naming the job, for listings and errors.</summary>
    public string Describe() => Kind == LineageJobKind.InProcess
        ? (JobArguments.Length == 0 ? $"{TypeName}" : $"{TypeName} {string.Join(' ', JobArguments)}")
        : (Arguments.Length == 0 ? $"{Executable}" : $"{Executable} {string.Join(' ', Arguments)}");
}
