namespace OrleansFs.Grains.Lineage.Jobs;

/// <summary>How one attempt of a job ended, before it is checked and recorded.</summary>
public sealed record JobOutcome
{
    /// <summary>A command-line job's exit code; null for an in-process job, or a program that never started or was killed.</summary>
    public int? ExitCode { get; init; }
    /// <summary>Killed (with its children) at its deadline.</summary>
    public bool TimedOut { get; init; }
    /// <summary>Why it failed, when there is more to say than an exit code (an exception, a program that would not start).</summary>
    public string? Error { get; init; }
    public string StdoutTail { get; init; } = "";
    public string StderrTail { get; init; } = "";

    public bool Succeeded => !TimedOut && Error is null && (ExitCode ?? 0) == 0;

    /// <summary>One phrase for errors: "exit code 3", "timed out", or the exception's first line.</summary>
    public string Describe()
    {
        if (TimedOut) return "timed out and was killed";
        if (ExitCode is { } code && code != 0) return $"exit code {code}{LastLine(StderrTail)}";
        if (Error is { } error) return error.Split('\n')[0].Trim();
        return "succeeded";
    }

    private static string LastLine(string text)
    {
        string line = text.TrimEnd().Split('\n')[^1].Trim();
        return line.Length == 0 ? "" : $" ({(line.Length > 200 ? line[..200] + "…" : line)})";
    }
}
