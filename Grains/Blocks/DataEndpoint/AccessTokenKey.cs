using System.Security.Cryptography;

namespace OrleansFs.Grains.Blocks.DataEndpoint;

/// <summary>
/// The HMAC key of a silo's block access tokens. From <c>Security:AccessTokenKeyPath</c> when set (at least
/// <see cref="MinBytes"/> bytes, readable by the silo's user only), so tokens outlive a restart of the silo;
/// otherwise random bytes made at start and never written anywhere. Either is enough because the silo that
/// issues a token is the silo that checks it; a restart with a random key only makes clients ask again.
/// </summary>
public sealed class AccessTokenKey
{
    public const int MinBytes = 32;
    private const UnixFileMode OthersMayAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private AccessTokenKey(byte[] bytes, string source)
    {
        Bytes = bytes;
        Source = source;
    }

    internal byte[] Bytes { get; }
    /// <summary>Where the key came from, for the log: the file, or "random, this process only".</summary>
    public string Source { get; }

    public static AccessTokenKey Random() => new(RandomNumberGenerator.GetBytes(MinBytes), "random, this process only");

    /// <summary>The key in <paramref name="path"/>; a missing, short or shared file is refused with the reason.</summary>
    public static AccessTokenKey FromFile(string path)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"Security:AccessTokenKeyPath {path} does not exist (make one with: head -c 32 /dev/urandom > {path}; chmod 600 {path})");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & OthersMayAccess) != 0)
            throw new InvalidOperationException(
                $"Security:AccessTokenKeyPath {path} may be read by other users (mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}); chmod 600 it");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < MinBytes)
            throw new InvalidOperationException($"Security:AccessTokenKeyPath {path} holds {bytes.Length} bytes; an access-token key needs at least {MinBytes}");
        return new AccessTokenKey(bytes, path);
    }

    /// <summary>The file's key when a path is set, else a random one.</summary>
    public static AccessTokenKey Load(string? path) => string.IsNullOrWhiteSpace(path) ? Random() : FromFile(path);
}
