namespace OrleansFs.Files;

/// <summary>
/// One page of a listing, as HDFS pages `listStatus` (<c>dfs.ls.limit</c>): at most <see cref="Limit"/> entries
/// after <see cref="StartAfter"/>, the continuation token of the previous page (null for the first).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("OrleansFs.ListingRequest")]
public sealed record ListingRequest
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    /// <summary>Everything below the directory, depth-first in name order, each directory before its contents.</summary>
    [Id(0)] public bool Recursive { get; init; }
    /// <summary>The previous page's <see cref="ListingPage.ContinuationToken"/>; null for the first page.</summary>
    [Id(1)] public string? StartAfter { get; init; }
    /// <summary>At most this many entries, 1 to <see cref="MaxLimit"/>.</summary>
    [Id(2)] public int Limit { get; init; } = DefaultLimit;
}
