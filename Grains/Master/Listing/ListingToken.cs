using System.Buffers.Text;
using System.Text;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Master.Listing;

/// <summary>
/// Where a paged listing resumes: the listed directory (by inode id, so a directory deleted or replaced meanwhile is
/// noticed), whether the listing is recursive, and the path of the last entry returned. Resuming by name rather than
/// by position is what keeps the listing stable while others create and delete. On the wire it is opaque: base64url
/// of <c>1|r|id|/last/path</c> (<c>1|d|…</c> when not recursive).
/// </summary>
public readonly record struct ListingToken(bool Recursive, long DirectoryId, string LastPath)
{
    private const string Version = "1";

    public string Encode()
    {
        string text = $"{Version}|{(Recursive ? 'r' : 'd')}|{DirectoryId}|{LastPath}";
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The token of a listing of <paramref name="path"/>; InvalidArgument naming the path when it is not one.</summary>
    public static ListingToken Decode(string token, string path, bool recursive)
    {
        if (!TryParse(token, out var parsed))
            throw FsException.InvalidArgument(path, $"'{Shorten(token)}' is not a listing continuation token; start the listing again without one");
        if (parsed.Recursive != recursive)
            throw FsException.InvalidArgument(path, $"this continuation token belongs to a {Kind(parsed.Recursive)} listing, not a {Kind(recursive)} one");
        if (!parsed.IsBelow(path))
            throw FsException.InvalidArgument(path, $"this continuation token continues a listing of another directory ({parsed.LastPath} is not {(recursive ? "below" : "in")} {path})");
        return parsed;
    }

    private static string Kind(bool recursive) => recursive ? "recursive" : "non-recursive";

    /// <summary>The names from the listed directory down to the last entry (one name when not recursive).</summary>
    public string[] Components(string directory) => LastPath[(directory.Length == 1 ? 1 : directory.Length + 1)..].Split('/');

    private bool IsBelow(string directory)
    {
        string prefix = directory.Length == 1 ? "/" : directory + "/";
        if (LastPath.Length <= prefix.Length || !LastPath.StartsWith(prefix, StringComparison.Ordinal)) return false;
        return Recursive || LastPath.IndexOf('/', prefix.Length) < 0;
    }

    public static bool TryParse(string? token, out ListingToken parsed)
    {
        parsed = default;
        if (string.IsNullOrEmpty(token) || token.Length > 64 * 1024) return false;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return false;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (ArgumentException)
        {
            return false;
        }
        string[] parts = text.Split('|', 4);
        if (parts.Length != 4 || parts[0] != Version || parts[1] is not ("r" or "d")) return false;
        if (!long.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long id)) return false;
        if (!IsEntryPath(parts[3])) return false;
        parsed = new ListingToken(parts[1] == "r", id, parts[3]);
        return true;
    }

    // An absolute path below the root, with no empty name.
    private static bool IsEntryPath(string path)
    {
        if (path.Length < 2 || path[0] != '/') return false;
        foreach (string name in path[1..].Split('/'))
            if (name.Length == 0) return false;
        return true;
    }

    private static string Shorten(string token) => token.Length <= 40 ? token : token[..40] + "…";
}
