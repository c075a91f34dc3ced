namespace OrleansFs.Silo.Web.Models;

/// <summary>
/// A file in the lineage graph: <see cref="ProducedBy"/> is the lineage that writes it (null for a plain input),
/// <see cref="ReadBy"/> the lineages that read it.
/// </summary>
public sealed record LineageFileModel(string Path, LineageFileState State, long? ProducedBy, IReadOnlyList<long> ReadBy);
