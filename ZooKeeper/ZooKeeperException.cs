namespace OrleansFs.ZooKeeper;

/// <summary>A failed ZooKeeper operation: the server's (or the client's own) result code and the path it concerned.</summary>
public class ZooKeeperException : Exception
{
    public ZooKeeperException(ZooKeeperErrorCode code, string? path, string? detail = null, Exception? inner = null)
        : base(Describe(code, path, detail), inner)
    {
        Code = code;
        Path = path;
    }

    public ZooKeeperErrorCode Code { get; }

    /// <summary>The path as the caller gave it (relative to the chroot), or null for session-level errors.</summary>
    public string? Path { get; }

    private static string Describe(ZooKeeperErrorCode code, string? path, string? detail)
    {
        var text = path is null ? $"ZooKeeper {code} ({(int)code})" : $"ZooKeeper {code} ({(int)code}) for {path}";
        return detail is null ? text : $"{text}: {detail}";
    }
}
