using OrleansFs.Files;
using OrleansFs.Grains.Master.Entries;
using OrleansFs.Grains.Master.Inodes;
using OrleansFs.Lineage;

namespace OrleansFs.Grains.Lineage.Records;

/// <summary>
/// Conversions between the lineage contract types clients see and the journal's own types the master keeps. Times
/// travel as Unix milliseconds and log tails are cut to their last <see cref="LineageRun.MaxTailBytes"/> characters
/// when journaled, so what replay rebuilds is exactly what the live master held.
/// </summary>
public static class LineageContracts
{
    public static LineageJobData ToData(this LineageJob job) =>
        new((byte)job.Kind, job.Executable, job.Arguments ?? [], job.WorkingDirectory, job.TypeName, job.JobArguments ?? []);

    public static LineageJob ToJob(this LineageJobData data) => new()
    {
        Kind = (LineageJobKind)data.Kind,
        Executable = data.Executable,
        Arguments = [.. data.Arguments],
        WorkingDirectory = data.WorkingDirectory,
        TypeName = data.TypeName,
        JobArguments = [.. data.JobArguments],
    };

    public static LineageRunData ToData(this LineageRun run) =>
        new(run.RunId, run.Attempt, (byte)run.Trigger, run.StartedAt.ToUnixTimeMilliseconds(), run.EndedAt?.ToUnixTimeMilliseconds(),
            run.Silo ?? "", (byte)run.Outcome, run.ExitCode, run.Error, Tail(run.StdoutTail), Tail(run.StderrTail));

    public static LineageRun ToRun(this LineageRunData data) => new()
    {
        RunId = data.RunId,
        Attempt = data.Attempt,
        Trigger = (LineageRunTrigger)data.Trigger,
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(data.StartedMs),
        EndedAt = data.EndedMs is { } ended ? DateTimeOffset.FromUnixTimeMilliseconds(ended) : null,
        Silo = data.Silo,
        Outcome = (LineageRunOutcome)data.Outcome,
        ExitCode = data.ExitCode,
        Error = data.Error,
        StdoutTail = data.StdoutTail,
        StderrTail = data.StderrTail,
    };

    /// <summary>
    /// The record as clients see it: bound files under their current paths (<paramref name="pathOf"/>), deleted ones
    /// under the path they had, and the lineages on either side.
    /// </summary>
    public static LineageInfo ToInfo(this LineageRecord record, LineageTable table, Func<long, Inode?> inodeOf, Func<long, string?> pathOf) => new()
    {
        Id = record.Id,
        Inputs = record.Inputs.Select(f => CurrentPath(f, pathOf)).ToArray(),
        InputIds = record.Inputs.Select(f => f.FileId).ToArray(),
        Outputs = record.Outputs.Select(f => new LineageOutput
        {
            Path = CurrentPath(f, pathOf),
            FileId = f.FileId,
            Checksum = f.Checksum,
            Persisted = f.FileId is { } id && inodeOf(id)?.PersistenceState == PersistenceState.Persisted,
        }).ToArray(),
        Job = record.Job.ToJob(),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(record.CreatedMs),
        Runs = record.Runs.Select(ToRun).ToArray(),
        Parents = [.. table.ParentsOf(record)],
        Children = [.. table.ChildrenOf(record)],
    };

    private static string CurrentPath(LineageFile file, Func<long, string?> pathOf) =>
        file.FileId is { } id ? pathOf(id) ?? file.Path : file.Path;

    private static string Tail(string? text) =>
        text is null ? "" : text.Length <= LineageRun.MaxTailBytes ? text : text[^LineageRun.MaxTailBytes..];
}
