namespace OrleansFs.Errors;

/// <summary>
/// The one exception type OrleansFs throws for expected failures. It crosses the Orleans wire intact
/// (code, path, message) so clients and `ofs` can print one clear line.
/// </summary>
[GenerateSerializer]
[Alias("OrleansFs.FsException")]
public sealed class FsException : Exception
{
    [Id(0)] public FsErrorCode Code { get; }
    [Id(1)] public string? Path { get; }
    [Id(2)] public string Reason { get; }

    public FsException(FsErrorCode code, string? path, string reason)
        : base(Format(code, path, reason))
    {
        Code = code;
        Path = path;
        Reason = reason;
    }

    private static string Format(FsErrorCode code, string? path, string reason) =>
        path is null ? $"{code}: {reason}" : $"{path}: {code}: {reason}";

    public static FsException NotFound(string path) => new(FsErrorCode.NotFound, path, "no such file or directory");
    public static FsException AlreadyExists(string path) => new(FsErrorCode.AlreadyExists, path, "already exists");
    public static FsException NotADirectory(string path) => new(FsErrorCode.NotADirectory, path, "not a directory");
    public static FsException IsADirectory(string path) => new(FsErrorCode.IsADirectory, path, "is a directory");
    public static FsException DirectoryNotEmpty(string path) => new(FsErrorCode.DirectoryNotEmpty, path, "directory not empty");
    public static FsException InvalidPath(string? path, string reason) => new(FsErrorCode.InvalidPath, path, reason);
    public static FsException InvalidArgument(string? path, string reason) => new(FsErrorCode.InvalidArgument, path, reason);
    public static FsException Unavailable(string reason) => new(FsErrorCode.Unavailable, null, reason);
}
