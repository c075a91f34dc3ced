using System.Globalization;
using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Pages;

/// <summary>How numbers read on the pages: binary byte units, short durations, UTC times.</summary>
public static class Format
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Bytes(double bytes)
    {
        int unit = 0;
        while (Math.Abs(bytes) >= 1024 && unit < Units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes:0} B" : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0#} {Units[unit]}");
    }

    public static string OptionalBytes(long? bytes) => bytes is null ? "not reported" : Bytes((double)bytes.Value);

    public static string Duration(double milliseconds) => Duration(TimeSpan.FromMilliseconds(milliseconds));

    public static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => $"{span.TotalMilliseconds:0} ms",
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0#} s"),
        { TotalHours: < 1 } => $"{(int)span.TotalMinutes} min {span.Seconds} s",
        { TotalDays: < 1 } => $"{(int)span.TotalHours} h {span.Minutes} min",
        _ => $"{(int)span.TotalDays} d {span.Hours} h",
    };

    public static string Time(DateTimeOffset? time) =>
        time is null ? "never" : time.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    public static string Percent(int? value) => value is null ? "not reported" : $"{value}%";

    public static string Ttl(long ttlMs, string action) => ttlMs < 0 ? "none" : $"{Duration(ttlMs)} ({action})";

    public static string LineageState(LineageFileState state) => state switch
    {
        LineageFileState.InMemory => "in memory",
        LineageFileState.Persisted => "persisted",
        LineageFileState.Lost => "lost",
        LineageFileState.Recomputing => "recomputing",
        LineageFileState.Writing => "being written",
        LineageFileState.Deleted => "deleted",
        _ => "not known now",
    };

    public static string BrowseLink(string path) => "/browse?path=" + Uri.EscapeDataString(path);

    /// <summary>The Browse page of <paramref name="path"/> that continues after a page's token.</summary>
    public static string BrowseLink(string path, string after) => BrowseLink(path) + "&after=" + Uri.EscapeDataString(after);

    /// <summary>The In-Memory Files page scanning on after a token (the first scan without one).</summary>
    public static string InMemoryLink(string? after) => after is null ? "/inmemory" : "/inmemory?after=" + Uri.EscapeDataString(after);

    public static string FileLink(string path) => "/file?path=" + Uri.EscapeDataString(path);

    public static string EntryLink(EntryModel entry) => entry.IsDirectory ? BrowseLink(entry.Path) : FileLink(entry.Path);
}
