namespace OrleansFs.Silo.Web.Models;

/// <summary>One block of a file; <see cref="Locations"/> are the silos (host:port) holding its bytes.</summary>
public sealed record BlockModel(int Index, long BlockId, long Length, IReadOnlyList<string> Locations, bool? InMemory);
