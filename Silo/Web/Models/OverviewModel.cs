namespace OrleansFs.Silo.Web.Models;

/// <summary>The Overview page and `/api/v1/overview`. Master fields are null while no master answers (for example mid-failover).</summary>
public sealed record OverviewModel
{
    public required string ClusterId { get; init; }
    public required string ServiceId { get; init; }
    /// <summary>The silo that rendered this page (host:port).</summary>
    public required string ThisSilo { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required double UptimeSeconds { get; init; }
    public MasterModel? Master { get; init; }
    public string? MasterError { get; init; }
    public long? FileCount { get; init; }
    public long? DirectoryCount { get; init; }
    public JournalModel? Journal { get; init; }
    /// <summary>Empty until workers report capacity (see <see cref="Data.WorkerStatsReader"/>).</summary>
    public required IReadOnlyList<TierUsageModel> Tiers { get; init; }
    public required int LiveSilos { get; init; }
    public required int DeadSilos { get; init; }
}
