namespace OrleansFs.Lineage;

/// <summary>A lineage: which job makes which outputs from which inputs, and how its runs went.</summary>
[GenerateSerializer]
[Alias("OrleansFs.LineageInfo")]
public sealed record LineageInfo
{
    /// <summary>Runs kept per lineage (attempts, oldest dropped first).</summary>
    public const int MaxRuns = 20;

    [Id(0)] public long Id { get; init; }
    /// <summary>Current paths of the input files.</summary>
    [Id(1)] public string[] Inputs { get; init; } = [];
    [Id(2)] public LineageOutput[] Outputs { get; init; } = [];
    [Id(3)] public LineageJob Job { get; init; } = new();
    [Id(4)] public DateTimeOffset CreatedAt { get; init; }
    /// <summary>The last <see cref="MaxRuns"/> attempts, oldest first.</summary>
    [Id(5)] public LineageRun[] Runs { get; init; } = [];
    /// <summary>Lineages whose outputs are this one's inputs.</summary>
    [Id(6)] public long[] Parents { get; init; } = [];
    /// <summary>Lineages that read this one's outputs.</summary>
    [Id(7)] public long[] Children { get; init; } = [];
    /// <summary>Inode ids of the inputs, in the order of <see cref="Inputs"/>; null for an input since deleted.</summary>
    [Id(8)] public long?[] InputIds { get; init; } = [];
}
