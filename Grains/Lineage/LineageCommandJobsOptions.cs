namespace OrleansFs.Grains.Lineage;

/// <summary>`Lineage:CommandJobs`: the allow-list of programs a command-line job may start.</summary>
public sealed class LineageCommandJobsOptions
{
    /// <summary>Full paths, or names resolved against <see cref="Directory"/>. Empty: command-line jobs are off.</summary>
    public List<string> Allowed { get; set; } = [];

    /// <summary>Where a bare executable name (in <see cref="Allowed"/> or in a job) is looked up.</summary>
    public string? Directory { get; set; }
}
