namespace OrleansFs.Grains.Blocks.Scrub;

/// <summary>How far a silo's scrubber has got: totals since the silo started, and the pass under way if any.</summary>
public sealed record ScrubProgress
{
    public long PassesCompleted { get; init; }
    public long BlocksChecked { get; init; }
    public long BytesChecked { get; init; }
    public long CorruptBlocks { get; init; }
    public DateTimeOffset? LastPassCompleted { get; init; }
    /// <summary>Blocks checked so far in the running pass, and how many it will check; null between passes.</summary>
    public (int Done, int Total)? Running { get; init; }
}
