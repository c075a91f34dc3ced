using System.Globalization;
using OrleansFs.Lineage;

namespace OrleansFs.Cli.Output;

/// <summary>How `ofs lineage ls` and `ofs lineage show` print lineages.</summary>
internal static class LineageText
{
    /// <summary>One `ls` line: id, creation time, files, job and how its last run went.</summary>
    public static string ListLine(LineageInfo lineage) => string.Create(CultureInfo.InvariantCulture,
        $"{lineage.Id,-6}{FileStatusText.Date(lineage.CreatedAt),-25}[{string.Join(", ", lineage.Inputs)}] -> " +
        $"[{string.Join(", ", lineage.Outputs.Select(o => o.Path))}]  job: {Job(lineage.Job)}  last run: {LastRun(lineage)}");

    public static async Task WriteAsync(TextWriter output, LineageInfo lineage, LineageFileStates states, CancellationToken cancellationToken)
    {
        output.WriteLine($"Lineage {lineage.Id}");
        output.WriteLine($"  created:  {FileStatusText.Date(lineage.CreatedAt)}");
        output.WriteLine($"  job:      {Job(lineage.Job)}");
        if (lineage.Job.WorkingDirectory is { } directory) output.WriteLine($"  working directory: {directory}");
        output.WriteLine($"  parents:  {Ids(lineage.Parents)}");
        output.WriteLine($"  children: {Ids(lineage.Children)}");
        output.WriteLine("Inputs:");
        if (lineage.Inputs.Length == 0) output.WriteLine("  (none)");
        for (int i = 0; i < lineage.Inputs.Length; i++)
        {
            long? id = i < lineage.InputIds.Length ? lineage.InputIds[i] : null;
            output.WriteLine($"  {lineage.Inputs[i]}  {await states.DescribeAsync(lineage.Inputs[i], id, cancellationToken)}");
        }
        output.WriteLine("Outputs:");
        foreach (var file in lineage.Outputs)
        {
            string checksum = file.Checksum is { } sum ? $"  xxhash64 {sum:x16}" : "";
            output.WriteLine($"  {file.Path}  {await states.DescribeAsync(file.Path, file.FileId, cancellationToken)}{checksum}");
        }
        output.WriteLine("Runs:");
        if (lineage.Runs.Length == 0) output.WriteLine("  (none)");
        foreach (var run in lineage.Runs) WriteRun(output, run);
    }

    private static void WriteRun(TextWriter output, LineageRun run)
    {
        string ended = run.EndedAt is { } end
            ? string.Create(CultureInfo.InvariantCulture, $", {(end - run.StartedAt).TotalSeconds:F1} s")
            : "";
        string exit = run.ExitCode is { } code ? $", exit code {code}" : "";
        output.WriteLine($"  run {run.RunId} attempt {run.Attempt} ({Trigger(run.Trigger)}) on {Or(run.Silo, "?")} at " +
                         $"{FileStatusText.Date(run.StartedAt)}: {Outcome(run.Outcome)}{exit}{ended}");
        if (run.Error is { Length: > 0 } error) output.WriteLine($"    error: {error.ReplaceLineEndings(" ")}");
        WriteTail(output, "stdout", run.StdoutTail);
        WriteTail(output, "stderr", run.StderrTail);
    }

    private static void WriteTail(TextWriter output, string name, string tail)
    {
        if (string.IsNullOrEmpty(tail)) return;
        output.WriteLine($"    {name} (last {LineageRun.MaxTailBytes / 1024} KiB):");
        foreach (string line in tail.TrimEnd('\n', '\r').ReplaceLineEndings("\n").Split('\n')) output.WriteLine("      " + line);
    }

    private static string LastRun(LineageInfo lineage) => lineage.Runs.Length == 0 ? "none" : lineage.Runs[^1] switch
    {
        { ExitCode: { } code } last => $"{Outcome(last.Outcome)} (exit code {code})",
        var last => Outcome(last.Outcome),
    };

    public static string Job(LineageJob job) => job.Kind switch
    {
        LineageJobKind.CommandLine => "command line: " + job.Describe(),
        LineageJobKind.InProcess => "in-process: " + job.Describe(),
        _ => job.Describe(),
    };

    private static string Outcome(LineageRunOutcome outcome) => outcome switch
    {
        LineageRunOutcome.Running => "running",
        LineageRunOutcome.Succeeded => "succeeded",
        LineageRunOutcome.Failed => "failed",
        LineageRunOutcome.TimedOut => "timed out",
        LineageRunOutcome.NonDeterministic => "non-deterministic (different bytes)",
        _ => outcome.ToString(),
    };

    private static string Trigger(LineageRunTrigger trigger) =>
        trigger == LineageRunTrigger.Recompute ? "recompute" : "requested";

    private static string Ids(long[] ids) => ids.Length == 0 ? "none" : string.Join(", ", ids);

    private static string Or(string value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;
}
