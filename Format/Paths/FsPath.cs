using System.Text;
using OrleansFs.Errors;

namespace OrleansFs.Paths;

/// <summary>
/// A validated absolute OrleansFs path: `/`-separated, no empty, `.` or `..` segments, no NUL or control
/// characters, each name at most <see cref="MaxNameBytes"/> UTF-8 bytes and the whole path at most
/// <see cref="MaxPathBytes"/>. A single trailing `/` is accepted and dropped, as Alluxio does.
/// </summary>
[GenerateSerializer]
[Alias("OrleansFs.FsPath")]
public readonly struct FsPath : IEquatable<FsPath>, IComparable<FsPath>
{
    public const int MaxNameBytes = 255;
    public const int MaxPathBytes = 4096;

    [Id(0)] private readonly string? _value;

    private FsPath(string value) => _value = value;

    public static FsPath Root { get; } = new("/");

    public string Value => _value ?? "/";
    public bool IsRoot => Value.Length == 1;

    /// <summary>The last segment; empty for the root.</summary>
    public string Name => IsRoot ? "" : Value[(Value.LastIndexOf('/') + 1)..];

    /// <summary>The parent path; the root is its own parent.</summary>
    public FsPath Parent
    {
        get
        {
            if (IsRoot) return this;
            int slash = Value.LastIndexOf('/');
            return slash == 0 ? Root : new FsPath(Value[..slash]);
        }
    }

    public int Depth => IsRoot ? 0 : Value.Count(c => c == '/');

    public string[] Segments() => IsRoot ? [] : Value[1..].Split('/');

    public static FsPath Parse(string? path)
    {
        string? error = Validate(path);
        if (error is not null) throw FsException.InvalidPath(path, error);
        return new FsPath(Normalize(path!));
    }

    public static bool TryParse(string? path, out FsPath result)
    {
        result = default;
        if (Validate(path) is not null) return false;
        result = new FsPath(Normalize(path!));
        return true;
    }

    /// <summary>Appends one validated name to this path.</summary>
    public FsPath Child(string name)
    {
        string? error = ValidateName(name);
        if (error is not null) throw FsException.InvalidPath(name, error);
        string combined = IsRoot ? "/" + name : Value + "/" + name;
        if (Encoding.UTF8.GetByteCount(combined) > MaxPathBytes)
            throw FsException.InvalidPath(combined, $"path is longer than {MaxPathBytes} bytes");
        return new FsPath(combined);
    }

    /// <summary>True when <paramref name="other"/> is this path or lies below it.</summary>
    public bool IsAncestorOrSelfOf(FsPath other)
    {
        if (IsRoot) return true;
        string a = Value, b = other.Value;
        return b.Length >= a.Length && b.StartsWith(a, StringComparison.Ordinal) &&
               (b.Length == a.Length || b[a.Length] == '/');
    }

    /// <summary>Rebases <paramref name="path"/> (which lies under this path) onto <paramref name="newBase"/>.</summary>
    public FsPath Rebase(FsPath path, FsPath newBase)
    {
        if (!IsAncestorOrSelfOf(path)) throw new ArgumentException($"{path} is not under {this}");
        string rest = IsRoot ? path.Value : path.Value[Value.Length..];
        if (rest.Length == 0) return newBase;
        return new FsPath(newBase.IsRoot ? rest : newBase.Value + rest);
    }

    /// <summary>Returns null when the path is valid, otherwise the reason it is not.</summary>
    public static string? Validate(string? path)
    {
        if (path is null) return "path is missing";
        if (path.Length == 0) return "path is empty";
        if (path[0] != '/') return "path must be absolute (start with '/')";
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes) return $"path is longer than {MaxPathBytes} bytes";
        string body = Normalize(path);
        if (body.Length == 1) return null;
        foreach (var segment in body[1..].Split('/'))
        {
            string? error = ValidateName(segment);
            if (error is not null) return error;
        }
        return null;
    }

    /// <summary>Returns null when <paramref name="name"/> is a valid single path segment.</summary>
    public static string? ValidateName(string name)
    {
        if (name.Length == 0) return "path has an empty segment ('//')";
        if (name == ".") return "path has a '.' segment";
        if (name == "..") return "path has a '..' segment";
        foreach (char c in name)
        {
            if (c == '/') return "name contains '/'";
            if (c == '\0') return "path contains a NUL character";
            if (char.IsControl(c)) return $"path contains control character U+{(int)c:X4}";
        }
        if (char.IsSurrogate(name[^1]) && !char.IsLowSurrogate(name[^1])) return "path contains invalid UTF-16";
        int bytes;
        try { bytes = new UTF8Encoding(false, true).GetByteCount(name); }
        catch (EncoderFallbackException) { return "path contains invalid UTF-16"; }
        if (bytes > MaxNameBytes) return $"name is longer than {MaxNameBytes} bytes";
        return null;
    }

    private static string Normalize(string path) =>
        path.Length > 1 && path[^1] == '/' && path[^2] != '/' ? path[..^1] : path;

    public bool Equals(FsPath other) => string.Equals(Value, other.Value, StringComparison.Ordinal);
    public override bool Equals(object? obj) => obj is FsPath p && Equals(p);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);
    public int CompareTo(FsPath other) => string.CompareOrdinal(Value, other.Value);
    public override string ToString() => Value;
    public static bool operator ==(FsPath a, FsPath b) => a.Equals(b);
    public static bool operator !=(FsPath a, FsPath b) => !a.Equals(b);
}
