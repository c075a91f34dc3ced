namespace OrleansFs.Lineage;

/// <summary>What an in-process job is given for one attempt.</summary>
public sealed class LineageJobContext
{
    public required long LineageId { get; init; }
    public required int RunId { get; init; }
    public required int Attempt { get; init; }
    public required LineageRunTrigger Trigger { get; init; }
    /// <summary>The lineage's input paths, in the order they were recorded.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }
    /// <summary>Where to write each output, in the order they were recorded (scratch paths during a recompute).</summary>
    public required IReadOnlyList<string> Outputs { get; init; }
    /// <summary>The job's own arguments, as recorded.</summary>
    public required IReadOnlyList<string> JobArguments { get; init; }
    public required ILineageJobFiles Files { get; init; }
    /// <summary>The silo's services (an <c>IGrainFactory</c>, logging, options ...).</summary>
    public required IServiceProvider Services { get; init; }
}
