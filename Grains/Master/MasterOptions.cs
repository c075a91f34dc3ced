namespace OrleansFs.Grains.Master;

/// <summary>The `Master` configuration section.</summary>
public sealed class MasterOptions
{
    public const string Section = "Master";

    /// <summary>How long a request id is remembered, so a retry within it returns the first result (as HDFS's retry cache).</summary>
    public TimeSpan RetryCacheWindow { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>
    /// At most this many request ids are remembered; the oldest go first. Each one is checkpointed and
    /// reloaded on recovery, so this bounds recovery time too; 200,000 covers 20 s at 10,000 mutations/s,
    /// longer than a failover takes.
    /// </summary>
    public int RetryCacheMaxEntries { get; set; } = 200_000;
    /// <summary>How often the TTL checker looks for expired files.</summary>
    public TimeSpan TtlCheckPeriod { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// How long a create waits for the under-storage cleanup of an earlier delete or rename at its path before
    /// it is refused as unavailable (the client retries). Cleanups that failed are retried every TtlCheckPeriod.
    /// </summary>
    public TimeSpan CleanupWaitTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// Metadata sync: a listing (or a getStatus of a path the namespace lacks) looks in the under-storage for
    /// files written there by someone else at most once per this interval per path. Zero: every time;
    /// negative (e.g. -00:00:01): never.
    /// </summary>
    public TimeSpan MetadataSyncInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>How often files still ToBePersisted are handed to their PersistGrain again (and once at every takeover).</summary>
    public TimeSpan PersistRecheckPeriod { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Block size given to files found in the under-storage.</summary>
    public long MetadataSyncBlockSizeBytes { get; set; } = OrleansFs.Files.CreateFileOptions.DefaultBlockSizeBytes;
    /// <summary>
    /// Every silo keeps a warm standby of the namespace by following the shared journal, so a master that
    /// takes over there replays only the last few records instead of everything since the last checkpoint.
    /// Costs each silo a copy of the namespace in memory and a little CPU per journaled mutation.
    /// </summary>
    public bool WarmStandby { get; set; } = true;
    /// <summary>How often the warm standby looks for new journal records.</summary>
    public TimeSpan StandbyPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>
    /// Read-only metadata calls (getStatus, listings, exists, block locations) are answered by the warm standby of
    /// the client's gateway silo when it is at least at the client's journal position and can answer exactly as
    /// the master would; otherwise, and when false, by the master (docs/architecture.md, "Consistency").
    /// </summary>
    public bool ReadsFromStandby { get; set; } = true;
    /// <summary>How long a read waits for a standby behind the client's position before it goes to the master.</summary>
    public TimeSpan StandbyReadWait { get; set; } = TimeSpan.FromMilliseconds(5);
    /// <summary>
    /// Test hook, off (zero) by default: the standby waits this long before every poll of the journal, so it lags
    /// behind the master (how the consistency tests hold one back).
    /// </summary>
    public TimeSpan StandbyHoldBack { get; set; } = TimeSpan.Zero;
}
