namespace OrleansFs.Silo.Web.Models;

/// <summary>Every lineage the master records, and every file they read or write with its state right now.</summary>
public sealed record LineageModel(IReadOnlyList<LineageRecordModel> Lineages, IReadOnlyList<LineageFileModel> Files);
