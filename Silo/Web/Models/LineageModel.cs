namespace OrleansFs.Silo.Web.Models;

/// <summary>Lineage records; <see cref="Available"/> is false while this build records no lineage.</summary>
public sealed record LineageModel(IReadOnlyList<LineageRecordModel> Records, bool Available);
