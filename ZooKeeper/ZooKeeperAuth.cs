using System.Text;

namespace OrleansFs.ZooKeeper;

/// <summary>
/// Credentials a session presents with addauth: a scheme and its bytes (for <c>digest</c>, <c>user:password</c>).
/// The client re-sends them on every reconnect. <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class ZooKeeperAuth
{
    public const string DigestScheme = "digest";

    private readonly byte[] _data;

    public ZooKeeperAuth(string scheme, ReadOnlySpan<byte> data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        if (scheme.Contains(':')) throw new ArgumentException($"an auth scheme cannot contain ':' ('{scheme}')", nameof(scheme));
        Scheme = scheme;
        _data = data.ToArray();
    }

    public string Scheme { get; }

    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>Digest credentials: the server derives the identity <c>digest:user:Base64(SHA-1(user:password))</c>.</summary>
    public static ZooKeeperAuth Digest(string user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        if (user.Contains(':')) throw new ArgumentException($"a digest user name cannot contain ':' ('{user}')", nameof(user));
        ArgumentNullException.ThrowIfNull(password);
        return new ZooKeeperAuth(DigestScheme, Encoding.UTF8.GetBytes(user + ":" + password));
    }

    /// <summary>
    /// Reads <c>scheme:credentials</c>, e.g. <c>digest:ofs:secret</c> (the scheme ends at the first ':'; the rest,
    /// colons included, is sent as UTF-8). The message of a refusal never repeats the credentials.
    /// </summary>
    public static ZooKeeperAuth Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
            throw new FormatException("auth must be written scheme:credentials, e.g. digest:user:password");
        var scheme = text[..colon].Trim();
        var credentials = text[(colon + 1)..];
        if (scheme.Length == 0) throw new FormatException("auth must be written scheme:credentials, e.g. digest:user:password");
        if (scheme == DigestScheme)
        {
            int split = credentials.IndexOf(':');
            if (split <= 0) throw new FormatException("digest auth must be written digest:user:password, with a non-empty user");
            return Digest(credentials[..split], credentials[(split + 1)..]);
        }
        return new ZooKeeperAuth(scheme, Encoding.UTF8.GetBytes(credentials));
    }

    /// <summary>True when both carry the same scheme and bytes (the client keeps each credential once).</summary>
    public bool SameAs(ZooKeeperAuth other) => Scheme == other.Scheme && _data.AsSpan().SequenceEqual(other._data);

    public override string ToString() => $"{Scheme}:***";
}
