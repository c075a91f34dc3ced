namespace OrleansFs.Grains.Lineage;

/// <summary>
/// The `Lineage` section: which jobs may run on this cluster, and how a recompute is bounded. Every silo must carry
/// the same values (the master validates jobs with its silo's; a recompute runs wherever its grain lives).
/// </summary>
public sealed class LineageOptions
{
    public const string Section = "Lineage";

    /// <summary>Command-line jobs run programs on silos: none is allowed unless listed here.</summary>
    public LineageCommandJobsOptions CommandJobs { get; set; } = new();

    /// <summary>
    /// Assemblies (full paths to .dll files) the silo loads at start so their <c>ILineageJob</c> types can be named by
    /// in-process jobs. An assembly the host already references needs no entry.
    /// </summary>
    public List<string> JobAssemblies { get; set; } = [];

    /// <summary>The longest a recompute (every attempt of one run) may take; its readers wait at most this long.</summary>
    public TimeSpan RecomputeTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts of one run before it fails for good.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Pause after the first failed attempt; it doubles after each further one, up to <see cref="MaxRetryBackoff"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The OrleansFs directory a recompute's job writes into: its bytes are checked against the first run's checksum
    /// there before they replace the lost blocks, then removed.
    /// </summary>
    public string ScratchDirectory { get; set; } = "/.lineage-scratch";
}
