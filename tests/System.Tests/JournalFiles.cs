namespace OrleansFs.Tests;

/// <summary>The journal's files as an operator sees them on disk.</summary>
internal static class JournalFiles
{
    /// <summary>The log segment written last (names sort by epoch, then first sequence).</summary>
    public static string LastSegment(string journalDirectory) =>
        Directory.GetFiles(Path.Combine(journalDirectory, "log"), "*.log").Order(StringComparer.Ordinal).Last();

    /// <summary>Cuts <paramref name="bytes"/> off the end of a file, as a write torn by a crash would leave it.</summary>
    public static void CutTail(string file, long bytes)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.SetLength(stream.Length - bytes);
    }
}
