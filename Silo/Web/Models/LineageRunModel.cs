namespace OrleansFs.Silo.Web.Models;

/// <summary>One attempt of a lineage's job; the tails are the last 64 KiB of its output.</summary>
public sealed record LineageRunModel(
    int RunId,
    int Attempt,
    string Trigger,
    string Outcome,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    double? DurationMilliseconds,
    string Silo,
    int? ExitCode,
    string? Error,
    string StdoutTail,
    string StderrTail);
