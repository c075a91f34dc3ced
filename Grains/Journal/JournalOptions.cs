namespace OrleansFs.Grains.Journal;

/// <summary>The `Journal` configuration section.</summary>
public sealed class JournalOptions
{
    public const string Section = "Journal";

    /// <summary>`Directory` (a shared directory) or `PostgreSql` (tables in the `PostgreSql:ConnectionString` database).</summary>
    public string Kind { get; set; } = "Directory";
    public string Directory { get; set; } = "./data/journal";
    /// <summary>Take a checkpoint after this many records since the last one.</summary>
    public long CheckpointRecords { get; set; } = 200_000;
    /// <summary>Take a checkpoint after this many journal bytes since the last one.</summary>
    public long CheckpointBytes { get; set; } = 64L * 1024 * 1024;
    /// <summary>Rotate log segments at about this size.</summary>
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;
    /// <summary>
    /// How long the writer waits for the epoch store (ZooKeeper, or the journal directory) to confirm the epoch before
    /// and after each batch. A store that does not answer in time fails the batch: nothing is acknowledged and the
    /// master stops, instead of waiting until its ZooKeeper connection is declared lost. Keep it below the ZooKeeper
    /// session timeout.
    /// </summary>
    public TimeSpan EpochCheckTimeout { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>fsync each group commit. Only tests of logic turn this off.</summary>
    public bool Fsync { get; set; } = true;
}
