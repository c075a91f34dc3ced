namespace OrleansFs.Silo.Web.Models;

/// <summary>One lineage: its job, the files it reads and writes, and its runs (oldest first).</summary>
public sealed record LineageRecordModel(
    long Id,
    string Kind,
    string Job,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    DateTimeOffset CreatedAt,
    IReadOnlyList<long> Parents,
    IReadOnlyList<long> Children,
    IReadOnlyList<LineageRunModel> Runs);
