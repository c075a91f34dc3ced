namespace OrleansFs.Lineage;

/// <summary>Why a lineage's job ran.</summary>
[GenerateSerializer]
[Alias("OrleansFs.LineageRunTrigger")]
public enum LineageRunTrigger
{
    /// <summary>Asked for: <c>--run</c> at create, or <c>ofs lineage run</c>.</summary>
    Requested = 0,
    /// <summary>A read found output bytes lost that were never persisted.</summary>
    Recompute = 1,
}
