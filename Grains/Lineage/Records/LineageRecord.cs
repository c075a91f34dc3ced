using System.Collections.Immutable;
using OrleansFs.Grains.Master.Entries;

namespace OrleansFs.Grains.Lineage.Records;

/// <summary>
/// A lineage as the master holds it: immutable, in the journal's own types, so a checkpoint writes it as it is and
/// replay rebuilds the same value. <see cref="RunRequested"/> says the client asked for a run when it was created.
/// </summary>
public sealed record LineageRecord(
    long Id, ImmutableArray<LineageFile> Inputs, ImmutableArray<LineageFile> Outputs, LineageJobData Job,
    long CreatedMs, bool RunRequested, ImmutableList<LineageRunData> Runs)
{
    /// <summary>Attempts kept per lineage; the oldest go first.</summary>
    public const int MaxRuns = 20;

    /// <summary>Adds an attempt, or replaces the one with the same run id and attempt number.</summary>
    public LineageRecord WithRun(LineageRunData run)
    {
        int at = Runs.FindIndex(r => r.RunId == run.RunId && r.Attempt == run.Attempt);
        if (at >= 0) return this with { Runs = Runs.SetItem(at, run) };
        var runs = Runs.Add(run);
        return this with { Runs = runs.Count > MaxRuns ? runs.RemoveRange(0, runs.Count - MaxRuns) : runs };
    }
}
