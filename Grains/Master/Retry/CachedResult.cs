using OrleansFs.Errors;
using OrleansFs.Files;

namespace OrleansFs.Grains.Master.Retry;

/// <summary>
/// The first result of a mutating request: success (with the status it returned, if any) or the failure's
/// code, path and reason.
/// </summary>
public sealed record CachedResult
{
    public FsErrorCode? ErrorCode { get; init; }
    public string? ErrorPath { get; init; }
    public string? ErrorReason { get; init; }
    public FileStatus? Status { get; init; }
    /// <summary>The lineage a successful CreateLineage recorded.</summary>
    public long? LineageId { get; init; }

    public bool Succeeded => ErrorCode is null;

    public static CachedResult Success(FileStatus? status) => new() { Status = status };

    public static CachedResult ForLineage(long lineageId) => new() { LineageId = lineageId };

    public static CachedResult Failure(FsErrorCode code, string? path, string reason) =>
        new() { ErrorCode = code, ErrorPath = path, ErrorReason = reason };

    public FsException ToException() =>
        new(ErrorCode ?? FsErrorCode.Unknown, ErrorPath, ErrorReason ?? "failed");

    /// <summary>The status the first call returned; throws the first call's error if it failed.</summary>
    public FileStatus? Unwrap() => Succeeded ? Status : throw ToException();
}
