using OrleansFs.Files;

namespace OrleansFs.Master;

/// <summary>A getStatus answer: the status, or null when nothing is at the path, and the journal position it reflects.</summary>
[GenerateSerializer]
[Immutable]
[Alias("OrleansFs.StatusRead")]
public sealed record StatusRead(
    [property: Id(0)] FileStatus? Status,
    [property: Id(1)] JournalPosition Journal);
