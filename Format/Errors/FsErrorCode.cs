namespace OrleansFs.Errors;

/// <summary>The reasons an OrleansFs operation can fail; stable across the wire and in `ofs` output.</summary>
public enum FsErrorCode
{
    Unknown = 0,
    NotFound = 1,
    AlreadyExists = 2,
    NotADirectory = 3,
    IsADirectory = 4,
    DirectoryNotEmpty = 5,
    InvalidPath = 6,
    InvalidArgument = 7,
    Unavailable = 8,
    NoSpace = 9,
    FileIncomplete = 10,
    FileLost = 11,
    ChecksumMismatch = 12,
    PermissionDenied = 13,
    Fenced = 14,
    JournalCorrupt = 15,
}
