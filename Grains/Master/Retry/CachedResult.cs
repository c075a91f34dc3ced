using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Master.Inodes;

namespace OrleansFs.Grains.Master.Retry;

/// <summary>
/// The first result of a mutating request: success (with the inode as it was right after the change, and
/// its path then) or the failure's code, path and reason. Inodes are immutable, so holding one is cheap.
/// </summary>
public sealed record CachedResult
{
    public FsErrorCode? ErrorCode { get; init; }
    public string? ErrorPath { get; init; }
    public string? ErrorReason { get; init; }
    public Inode? Inode { get; init; }
    public string? Path { get; init; }

    public bool Succeeded => ErrorCode is null;

    public static CachedResult Success(Inode? inode, string? path) => new() { Inode = inode, Path = path };

    public static CachedResult Failure(FsErrorCode code, string? path, string reason) =>
        new() { ErrorCode = code, ErrorPath = path, ErrorReason = reason };

    public FsException ToException() =>
        new(ErrorCode ?? FsErrorCode.Unknown, ErrorPath, ErrorReason ?? "failed");

    /// <summary>The status the first call returned; throws the first call's error if it failed.</summary>
    public FileStatus? Unwrap()
    {
        if (!Succeeded) throw ToException();
        return Inode?.ToStatus(Path ?? "/");
    }
}
