namespace OrleansFs.Files;

/// <summary>
/// One page of a listing. The token resumes after the last entry returned (by name, not by position), so a
/// listing that runs while others create and delete returns no entry twice and every entry present throughout.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("OrleansFs.ListingPage")]
public sealed record ListingPage
{
    [Id(0)] public IReadOnlyList<FileStatus> Entries { get; init; } = Array.Empty<FileStatus>();
    /// <summary>Pass as <see cref="ListingRequest.StartAfter"/> for the next page; null when the listing is complete.</summary>
    [Id(1)] public string? ContinuationToken { get; init; }
    /// <summary>The journal sequence this page reflects.</summary>
    [Id(2)] public long JournalSequence { get; init; }
    /// <summary>The journal position (epoch and sequence) this page reflects; the client keeps the highest it has seen.</summary>
    [Id(3)] public OrleansFs.Master.JournalPosition Journal { get; init; }
}
