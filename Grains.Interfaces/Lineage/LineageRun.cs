namespace OrleansFs.Lineage;

/// <summary>One attempt of a lineage's job, as the master journals it.</summary>
[GenerateSerializer]
[Alias("OrleansFs.LineageRun")]
public sealed record LineageRun
{
    /// <summary>Last bytes of stdout and stderr kept per attempt.</summary>
    public const int MaxTailBytes = 64 * 1024;

    /// <summary>Per lineage: 1, 2, ...</summary>
    [Id(0)] public int RunId { get; init; }
    /// <summary>1..<c>Lineage:MaxAttempts</c> within the run.</summary>
    [Id(1)] public int Attempt { get; init; } = 1;
    [Id(2)] public LineageRunTrigger Trigger { get; init; }
    [Id(3)] public DateTimeOffset StartedAt { get; init; }
    [Id(4)] public DateTimeOffset? EndedAt { get; init; }
    /// <summary>Address of the silo that ran it.</summary>
    [Id(5)] public string Silo { get; init; } = "";
    [Id(6)] public LineageRunOutcome Outcome { get; init; }
    [Id(7)] public int? ExitCode { get; init; }
    /// <summary>Exception text or the reason the attempt failed.</summary>
    [Id(8)] public string? Error { get; init; }
    [Id(9)] public string StdoutTail { get; init; } = "";
    [Id(10)] public string StderrTail { get; init; } = "";
}
