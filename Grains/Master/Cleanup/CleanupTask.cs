using System.Collections.Immutable;
using OrleansFs.Paths;

namespace OrleansFs.Grains.Master.Cleanup;

/// <summary>
/// A side effect of a journaled delete or rename that still has to reach the under-storage and the workers.
/// It is derived from the entry when the entry is applied (live and in replay alike), kept in the master
/// state and its checkpoints until a <see cref="Entries.CleanupDoneEntry"/> removes it, so a master that dies
/// half-way leaves it to the next one. Running it twice is harmless. The id is the request id of the entry
/// that caused it: unique, and the same in replay.
/// </summary>
public sealed record CleanupTask(Guid Id, CleanupKind Kind, string? Path, string? Destination, ImmutableArray<long> BlockIds)
{
    /// <summary>
    /// True when something written at <paramref name="path"/> now could be touched by this task: the path is
    /// at or below the under-storage path it deletes or moves (either end of a move).
    /// </summary>
    public bool Touches(FsPath path) =>
        Covers(Path, path.Value) || Covers(Destination, path.Value);

    // Stored paths are normalized (they came through FsPath), so a string prefix test is exact.
    private static bool Covers(string? root, string path) =>
        root is not null && (root == "/" || (path.StartsWith(root, StringComparison.Ordinal) &&
                                             (path.Length == root.Length || path[root.Length] == '/')));

    public string Describe() => Kind switch
    {
        CleanupKind.Rename => $"rename {Path} -> {Destination}",
        CleanupKind.Delete => $"delete {Path} ({BlockIds.Length} blocks)",
        _ => $"drop {BlockIds.Length} blocks",
    };
}
