namespace OrleansFs.Grains.Lineage.Jobs;

/// <summary>One start of a command-line job: the resolved program, its arguments as they are, where and with what environment.</summary>
public sealed record CommandLineJobStart
{
    /// <summary>Full path of the program (already checked against the allow-list).</summary>
    public required string Executable { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    /// <summary>Null: the silo's own working directory.</summary>
    public string? WorkingDirectory { get; init; }
    /// <summary>Set on top of the silo's environment; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
}
