namespace OrleansFs.Master;

/// <summary>What `ofs leader`, `ofs report` and the web interface show about the master.</summary>
[GenerateSerializer]
[Alias("OrleansFs.MasterInfo")]
public sealed record MasterInfo
{
    /// <summary>host:port of the silo hosting the master activation.</summary>
    [Id(0)] public string SiloAddress { get; init; } = "";
    [Id(1)] public long Epoch { get; init; }
    [Id(2)] public DateTimeOffset ActiveSince { get; init; }
    [Id(3)] public long FileCount { get; init; }
    [Id(4)] public long DirectoryCount { get; init; }
    [Id(5)] public long JournalSequence { get; init; }
    [Id(6)] public long LastCheckpointSequence { get; init; }
    [Id(7)] public DateTimeOffset? LastCheckpointTime { get; init; }
    [Id(8)] public TimeSpan RecoveryDuration { get; init; }
    [Id(9)] public string JournalKind { get; init; } = "";
    [Id(10)] public string JournalLocation { get; init; } = "";
    /// <summary>Group commits (flush + fsync) since this master started; fewer than mutations when callers share them.</summary>
    [Id(11)] public long JournalFlushes { get; init; }
}
