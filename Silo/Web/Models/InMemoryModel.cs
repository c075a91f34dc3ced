namespace OrleansFs.Silo.Web.Models;

/// <summary>
/// Files with some bytes in memory, from one bounded scan of the namespace. <see cref="Reported"/> is false while no
/// block locations are known; <see cref="Truncated"/> says the scan stopped early, and <see cref="Next"/> is where the
/// next scan resumes (<see cref="After"/> where this one did).
/// </summary>
public sealed record InMemoryModel(IReadOnlyList<EntryModel> Files, bool Reported, bool Truncated, string? After = null, string? Next = null);
