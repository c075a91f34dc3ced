namespace OrleansFs.Silo.Web.Models;

/// <summary>One file or directory in a listing. <see cref="InMemoryPercent"/> is null until block locations are reported.</summary>
public sealed record EntryModel
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public required bool IsDirectory { get; init; }
    public required long Length { get; init; }
    public int? InMemoryPercent { get; init; }
    public required string PersistenceState { get; init; }
    public required bool Pinned { get; init; }
    /// <summary>Milliseconds from creation, -1 for none.</summary>
    public required long TtlMs { get; init; }
    public required string TtlAction { get; init; }
    public required bool Completed { get; init; }
    public required int ChildCount { get; init; }
    public required DateTimeOffset LastModified { get; init; }
}
