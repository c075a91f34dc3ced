namespace OrleansFs.Silo.Web.Seams;

/// <summary>Where a block's bytes live: the silos (host:port) holding it, and how many of its bytes are in memory.</summary>
public sealed record BlockLocation(long BlockId, long Length, IReadOnlyList<string> Silos, long InMemoryBytes);
