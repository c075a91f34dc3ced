namespace OrleansFs.Silo.Web.Models;

/// <summary>Files with some bytes in memory. <see cref="Reported"/> is false while no block locations are known.</summary>
public sealed record InMemoryModel(IReadOnlyList<EntryModel> Files, bool Reported, bool Truncated);
