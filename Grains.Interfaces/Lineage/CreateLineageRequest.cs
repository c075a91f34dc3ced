namespace OrleansFs.Lineage;

/// <summary>What a client asks the master to record: inputs that exist, outputs that do not yet, and the job.</summary>
[GenerateSerializer]
[Alias("OrleansFs.CreateLineageRequest")]
public sealed record CreateLineageRequest
{
    [Id(0)] public string[] Inputs { get; init; } = [];
    [Id(1)] public string[] Outputs { get; init; } = [];
    [Id(2)] public LineageJob Job { get; init; } = new();
    /// <summary>Run the job once now on a live silo (as well as recording it).</summary>
    [Id(3)] public bool Run { get; init; }
}
