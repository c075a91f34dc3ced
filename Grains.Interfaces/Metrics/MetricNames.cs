namespace OrleansFs.Metrics;

/// <summary>
/// The `System.Diagnostics.Metrics` names OrleansFs records. The silo's instruments are on the
/// <see cref="Meter"/> meter, which the web interface's Metrics page and `/metrics` read; a client process's
/// are on <see cref="ClientMeter"/>, which the application exports if it wants them. The names are chosen so
/// that OpenTelemetry's Prometheus exporter (which appends the unit, and `_total` to counters) gives the
/// Prometheus names in the comments.
/// </summary>
public static class MetricNames
{
    public const string Meter = "OrleansFs";

    /// <summary>The meter of a client process (the streams of `OrleansFs.Client`).</summary>
    public const string ClientMeter = "OrleansFs.Client";

    /// <summary>Tag on the byte counters naming the way the bytes went: one of <see cref="Via"/>'s values.</summary>
    public const string ViaTag = "via";

    /// <summary>`ofs_operations_total`: file system operations served by the master, tagged `operation`.</summary>
    public const string Operations = "ofs.operations";

    /// <summary>`ofs_read_bytes_total`: block bytes a silo served to readers, tagged <see cref="ViaTag"/>.</summary>
    public const string BytesRead = "ofs.read.bytes";

    /// <summary>`ofs_written_bytes_total`: block bytes a silo stored for writers, tagged <see cref="ViaTag"/>.</summary>
    public const string BytesWritten = "ofs.written.bytes";

    /// <summary>`ofs_journal_flush_duration_seconds`: histogram of the journal's group-commit write, fsync and epoch check.</summary>
    public const string JournalFlushDuration = "ofs.journal.flush.duration";

    /// <summary>`ofs_master_takeovers_total`: master activations taking over on this silo, tagged `cause` (FirstStart, SiloFailed, ...).</summary>
    public const string Takeovers = "ofs.master.takeovers";

    /// <summary>Tag on the tier gauges naming the tier (MEM, DISK, ...).</summary>
    public const string TierTag = "tier";

    /// <summary>`ofs_tier_capacity_bytes`: a silo's block storage capacity, tagged <see cref="TierTag"/>.</summary>
    public const string TierCapacity = "ofs.tier.capacity";

    /// <summary>`ofs_tier_used_bytes`: block bytes a silo stores, tagged <see cref="TierTag"/>.</summary>
    public const string TierUsed = "ofs.tier.used";

    /// <summary>`ofs_tier_unevictable_bytes`: block bytes a silo may not evict (pinned or not yet persisted), tagged <see cref="TierTag"/>.</summary>
    public const string TierUnevictable = "ofs.tier.unevictable";

    /// <summary>`ofs_scrub_blocks_total`: blocks a silo's scrubber checked against their checksums.</summary>
    public const string ScrubBlocks = "ofs.scrub.blocks";

    /// <summary>`ofs_scrub_bytes_total`: block bytes a silo's scrubber checked.</summary>
    public const string ScrubBytes = "ofs.scrub.bytes";

    /// <summary>`ofs_scrub_corrupt_blocks_total`: blocks a silo's scrubber found damaged and dropped.</summary>
    public const string ScrubCorrupt = "ofs.scrub.corrupt.blocks";

    /// <summary>`ofs_client_read_bytes_total`: bytes a client's streams read, tagged <see cref="ViaTag"/>.</summary>
    public const string ClientBytesRead = "ofs.client.read.bytes";

    /// <summary>`ofs_client_written_bytes_total`: bytes a client's streams wrote, tagged <see cref="ViaTag"/>.</summary>
    public const string ClientBytesWritten = "ofs.client.written.bytes";

    /// <summary>`ofs_client_metadata_cache_hits_total`: metadata cache lookups a client answered itself, tagged `kind` (status, listing).</summary>
    public const string ClientMetadataCacheHits = "ofs.client.metadata_cache.hits";

    /// <summary>`ofs_client_metadata_cache_misses_total`: metadata cache lookups that went to the master, tagged `kind`.</summary>
    public const string ClientMetadataCacheMisses = "ofs.client.metadata_cache.misses";

    /// <summary>
    /// `ofs_standby_reads_total`: read-only metadata calls that reached this silo's warm standby, tagged
    /// <see cref="OutcomeTag"/> with one of <see cref="StandbyReads"/>'s values.
    /// </summary>
    public const string StandbyReadsTotal = "ofs.standby.reads";

    public const string OutcomeTag = "outcome";

    /// <summary>The values of <see cref="OutcomeTag"/> on <see cref="StandbyReadsTotal"/>.</summary>
    public static class StandbyReads
    {
        /// <summary>Answered by the standby (after waiting for it, if it was behind the client).</summary>
        public const string Served = "served";

        /// <summary>The standby was behind the client's position and caught up within the wait.</summary>
        public const string Waited = "waited";

        /// <summary>Sent on to the master: the standby stayed behind, or could not answer as the master would.</summary>
        public const string Forwarded = "forwarded";
    }

    /// <summary>The values of <see cref="ViaTag"/>.</summary>
    public static class Via
    {
        /// <summary>Grain calls (`IBlockGrain.Read`/`WriteChunk`, or the under-storage writer of a THROUGH write).</summary>
        public const string Grain = "grain";

        /// <summary>A worker's data endpoint (TCP).</summary>
        public const string DataEndpoint = "data_endpoint";

        /// <summary>The block file on this host's tmpfs, read or written by the client itself.</summary>
        public const string ShortCircuit = "short_circuit";
    }
}
