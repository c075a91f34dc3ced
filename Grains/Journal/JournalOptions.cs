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
    /// <summary>fsync each group commit. Only tests of logic turn this off.</summary>
    public bool Fsync { get; set; } = true;
}
