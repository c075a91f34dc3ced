using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Master.Inodes;

namespace OrleansFs.Grains.Master.Retry;

/// <summary>
/// The first result of a mutating request: success (with the status it returned, if any) or the failure's
/// code, path and reason. A status is kept as the immutable inode it was made from plus its path, not as a
/// <see cref="FileStatus"/>: the inode is usually the very one the namespace still holds, so a retry-cache
/// entry costs little more than its path (docs/benchmarks.md, "Master memory").
/// </summary>
public sealed record CachedResult
{
    private static readonly CachedResult NoStatus = new();

    // The inode the status is made from, or (rarely, after a checkpoint load) the status itself.
    private readonly object? _status;
    private readonly string? _statusPath;

    public FsErrorCode? ErrorCode { get; init; }
    public string? ErrorPath { get; init; }
    public string? ErrorReason { get; init; }
    /// <summary>The lineage a successful CreateLineage recorded.</summary>
    public long? LineageId { get; init; }

    private CachedResult() { }

    private CachedResult(object status, string? path)
    {
        _status = status;
        _statusPath = path;
    }

    public bool Succeeded => ErrorCode is null;

    /// <summary>The status the first call returned (made afresh on each call), or null.</summary>
    public FileStatus? Status => _status switch
    {
        Inode inode => inode.ToStatus(_statusPath!),
        FileStatus status => status,
        _ => null,
    };

    /// <summary>The inode this result's status is made from, when it is kept as one.</summary>
    internal Inode? StatusInode => _status as Inode;

    public static CachedResult Success(Inode inode, string path) => new(inode, path);

    public static CachedResult Success(FileStatus? status) => status is null ? NoStatus : new(status, null);

    public static CachedResult ForLineage(long lineageId) => new() { LineageId = lineageId };

    public static CachedResult Failure(FsErrorCode code, string? path, string reason) =>
        new() { ErrorCode = code, ErrorPath = path, ErrorReason = reason };

    /// <summary>This result with its status kept as <paramref name="inode"/> (which must make the same status).</summary>
    internal CachedResult WithStatusInode(Inode inode) => new(inode, Status!.Path) { LineageId = LineageId };

    public FsException ToException() =>
        new(ErrorCode ?? FsErrorCode.Unknown, ErrorPath, ErrorReason ?? "failed");

    /// <summary>The status the first call returned; throws the first call's error if it failed.</summary>
    public FileStatus? Unwrap() => Succeeded ? Status : throw ToException();
}
