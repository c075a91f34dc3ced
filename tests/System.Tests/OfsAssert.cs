using OrleansFs.TestSupport;

namespace OrleansFs.Tests;

internal static class OfsAssert
{
    public static OfsResult Succeeded(OfsResult result)
    {
        Assert.True(result.ExitCode == 0, $"ofs failed: {result}");
        Assert.Equal("", result.Stderr);
        return result;
    }

    /// <summary>Non-zero exit, nothing on stdout, and exactly one stderr line `ofs: COMMAND: ...` that names <paramref name="named"/>.</summary>
    public static string FailedWithOneLine(OfsResult result, string command, string named)
    {
        Assert.True(result.ExitCode != 0, $"ofs should have failed: {result}");
        var lines = result.StderrLines;
        Assert.True(lines.Length == 1, $"expected one stderr line: {result}");
        Assert.StartsWith($"ofs: {command}: ", lines[0]);
        Assert.Contains(named, lines[0]);
        Assert.DoesNotContain("   at ", result.Stderr);
        return lines[0];
    }

    /// <summary>The paths `ls -R` printed (the last column), in order.</summary>
    public static List<string> ListedPaths(OfsResult ls) =>
        ls.StdoutLines.Select(line => line[(line.IndexOf(" /", StringComparison.Ordinal) + 1)..]).ToList();
}
