using Microsoft.Extensions.Logging;

namespace OrleansFs.Grains.Blocks;

/// <summary>
/// A tier directory is private to the silo's user (mode 0700): a same-host client reads and writes block files
/// directly (short-circuit) only when it may open them, so only a client running as that user (or root) can,
/// and every other client goes through the data endpoint and its access tokens.
/// </summary>
internal static partial class TierDirectory
{
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="directory"/> with mode 0700, or narrows an existing one that is wider (warning that it
    /// did). False when it stays wider because this user may not change it (it belongs to someone else).
    /// </summary>
    public static bool MakePrivate(string directory, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return true;
        }
        Directory.CreateDirectory(directory, Private);
        var mode = File.GetUnixFileMode(directory);
        if ((mode & ~Private) == 0) return true;
        try
        {
            File.SetUnixFileMode(directory, mode & Private);
            LogNarrowed(logger, directory, Octal(mode));
            return true;
        }
        catch (UnauthorizedAccessException e)
        {
            LogStaysWide(logger, e, directory, Octal(mode));
            return false;
        }
    }

    /// <summary>True when <paramref name="directory"/> exists and no one but its owner may list or open what is in it.</summary>
    public static bool IsPrivate(string directory) =>
        OperatingSystem.IsWindows() || (Directory.Exists(directory) && (File.GetUnixFileMode(directory) & ~Private) == 0);

    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    [LoggerMessage(EventId = 2362, Level = LogLevel.Warning,
        Message = "Tier directory {Directory} had mode {Mode}; narrowed it to 0700 so only the silo's user can read its block files")]
    private static partial void LogNarrowed(ILogger logger, string directory, string mode);

    [LoggerMessage(EventId = 2363, Level = LogLevel.Error,
        Message = "Tier directory {Directory} has mode {Mode} and this user may not narrow it: other users may read its block files directly")]
    private static partial void LogStaysWide(ILogger logger, Exception exception, string directory, string mode);
}
