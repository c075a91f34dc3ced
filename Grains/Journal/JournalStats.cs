namespace OrleansFs.Grains.Journal;

/// <summary>Numbers for the master's checkpoint policy, `ofs report` and the web interface.</summary>
public sealed record JournalStats
{
    public long LastSequence { get; init; }
    public long LastCheckpointSequence { get; init; }
    public DateTimeOffset? LastCheckpointTime { get; init; }
    public long RecordsSinceCheckpoint { get; init; }
    public long BytesSinceCheckpoint { get; init; }
    public long Flushes { get; init; }
    public double LastFlushMilliseconds { get; init; }
    public string Kind { get; init; } = "";
    public string Location { get; init; } = "";
}
