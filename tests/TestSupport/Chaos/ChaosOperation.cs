namespace OrleansFs.TestSupport.Chaos;

/// <summary>One operation a chaos worker issued and what its caller saw.</summary>
public sealed record ChaosOperation(ChaosOp Op, string Path, string? Target)
{
    /// <summary>The call returned success.</summary>
    public bool Acknowledged { get; init; }
    /// <summary>AlreadyExists/NotFound on the worker's own, once-used key: only a retry applied twice answers so.</summary>
    public bool Doubled { get; init; }
    /// <summary>The call failed or timed out: it may or may not have been applied.</summary>
    public bool Unknown => !Acknowledged && !Doubled;
    public int DataLength { get; init; }
    public string? Error { get; init; }

    public string Describe() => $"{Op} {Path}{(Target is null ? "" : " -> " + Target)}{(Error is null ? "" : ": " + Error)}";
}
