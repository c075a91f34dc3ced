namespace OrleansFs.Lineage;

/// <summary>How one attempt of a lineage's job ended (or that it has not yet).</summary>
[GenerateSerializer]
[Alias("OrleansFs.LineageRunOutcome")]
public enum LineageRunOutcome
{
    Running = 0,
    Succeeded = 1,
    Failed = 2,
    TimedOut = 3,
    /// <summary>The job wrote bytes whose checksum differs from the first completed output's.</summary>
    NonDeterministic = 4,
}
