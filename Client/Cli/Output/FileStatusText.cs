using System.Globalization;
using OrleansFs.Files;

namespace OrleansFs.Cli.Output;

/// <summary>How `ofs` prints file facts, following `alluxio fs`.</summary>
internal static class FileStatusText
{
    public static string Date(DateTimeOffset time) =>
        time.ToLocalTime().ToString("MM-dd-yyyy HH:mm:ss:fff", CultureInfo.InvariantCulture);

    public static string State(PersistenceState state) => state switch
    {
        PersistenceState.NotPersisted => "NOT_PERSISTED",
        PersistenceState.ToBePersisted => "TO_BE_PERSISTED",
        PersistenceState.Persisted => "PERSISTED",
        PersistenceState.Lost => "LOST",
        _ => state.ToString().ToUpperInvariant(),
    };

    public static string WriteTypeName(WriteType type) => type switch
    {
        WriteType.AsyncThrough => "ASYNC_THROUGH",
        WriteType.MustCache => "MUST_CACHE",
        WriteType.CacheThrough => "CACHE_THROUGH",
        WriteType.Through => "THROUGH",
        _ => type.ToString().ToUpperInvariant(),
    };

    /// <summary>One `ls` line: mode, size (children for a directory), persistence, modification time, kind, path.</summary>
    public static string LsLine(FileStatus status)
    {
        string mode = status.IsDirectory ? "drwxr-xr-x" : "-rw-r--r--";
        long size = status.IsDirectory ? status.ChildCount : status.Length;
        string kind = status.IsDirectory ? "DIR" : status.Completed ? "" : "INCOMPLETE";
        return string.Create(CultureInfo.InvariantCulture,
            $"{mode,-11}{size,15}  {State(status.PersistenceState),-16}{Date(status.LastModificationTime),-25}{kind,-11}{status.Path}");
    }

    public static string Bytes(long bytes, bool human)
    {
        if (!human || bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + (human ? "B" : "");
        string[] units = ["KB", "MB", "GB", "TB", "PB"];
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("0.##", CultureInfo.InvariantCulture) + units[unit];
    }
}
