namespace OrleansFs.Grains.Storage;

/// <summary>
/// The `Storage` configuration section: where Orleans keeps grain state and reminders, the few things that do not
/// belong in the master's journal (docs/architecture.md, "What lives in Orleans storage, and why").
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string Memory = "Memory";
    public const string PostgreSql = "PostgreSql";

    /// <summary>
    /// `Memory` (the default: state and reminders live as long as the cluster's silos) or `PostgreSql` (the
    /// `PostgreSql:ConnectionString` database, with the tables of deploy/sql/orleans/003 and 004 applied).
    /// </summary>
    public string Kind { get; set; } = Memory;

    /// <summary>
    /// Period of the reminder that wakes the master: it re-activates the master on a surviving silo after its silo
    /// died, so TTLs are enforced and stranded persists resumed even when no client calls.
    /// </summary>
    public TimeSpan MasterReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsPostgreSql => string.Equals(Kind, PostgreSql, StringComparison.OrdinalIgnoreCase);
}
