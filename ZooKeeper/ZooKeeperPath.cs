namespace OrleansFs.ZooKeeper;

/// <summary>Client-side znode path rules (as the Java client's PathUtils): the server checks them only in part.</summary>
public static class ZooKeeperPath
{
    /// <summary>Throws <see cref="ZooKeeperException"/> with <see cref="ZooKeeperErrorCode.BadArguments"/> naming the path and the rule.</summary>
    public static void Validate(string path, bool sequential = false)
    {
        var reason = FindProblem(path, sequential);
        if (reason is not null) throw new ZooKeeperException(ZooKeeperErrorCode.BadArguments, path, reason);
    }

    /// <summary>Why the path is invalid, or null when it is fine.</summary>
    public static string? FindProblem(string? path, bool sequential = false)
    {
        if (string.IsNullOrEmpty(path)) return "the path is empty";
        if (path[0] != '/') return "the path must start with '/'";
        // The server appends digits to a sequential name, so "/queue/" is fine there: check it as "/queue/1".
        if (sequential) path += "1";
        if (path.Length == 1) return null;
        if (path[^1] == '/') return "the path must not end with '/'";
        for (int i = 1; i < path.Length; i++)
        {
            char c = path[i];
            if (c == 0) return $"the path has a null character at index {i}";
            if (c == '/' && path[i - 1] == '/') return $"the path has an empty segment at index {i}";
            if (IsForbidden(c)) return $"the path has an invalid character (U+{(int)c:X4}) at index {i}";
        }
        foreach (var segment in path.Split('/'))
        {
            if (segment is "." or "..") return $"the path has a relative segment '{segment}'";
        }
        return null;
    }

    /// <summary>The parent of a valid non-root path ("/a/b" gives "/a", "/a" gives "/").</summary>
    public static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    /// <summary>Joins a valid path and a child name.</summary>
    public static string Combine(string parent, string child) => parent == "/" ? "/" + child : parent + "/" + child;

    private static bool IsForbidden(char c) =>
        c is > '\u0000' and <= '\u001f'
        or >= '\u007f' and <= '\u009f'
        or >= '\ud800' and <= '\uf8ff'
        or >= '\ufff0';
}
