using OrleansFs.Files;

namespace OrleansFs.Master;

/// <summary>A listStatus answer: the entries, or null when nothing is at the path, and the journal position they reflect.</summary>
[GenerateSerializer]
[Immutable]
[Alias("OrleansFs.ListingRead")]
public sealed record ListingRead(
    [property: Id(0)] IReadOnlyList<FileStatus>? Entries,
    [property: Id(1)] JournalPosition Journal);
