using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Data;

/// <summary>
/// The lineage graph with each file's state now, read through the client core: the master's lineage records and
/// file statuses, and where each block lives (asked without loading anything, so looking never triggers a
/// reload or a recompute).
/// </summary>
public sealed class LineageReader(MasterCalls master, BlockLocator blocks)
{
    private const int StatusConcurrency = 16;

    public async Task<LineageModel> ReadAsync(CancellationToken cancellationToken)
    {
        var lineages = (await master.CallAsync((fs, ct) => fs.ListLineagesAsync(ct), cancellationToken)).OrderBy(l => l.Id).ToList();
        var producedBy = new Dictionary<string, LineageInfo>(StringComparer.Ordinal);
        var readBy = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var paths = new List<string>();
        foreach (var lineage in lineages)
        {
            foreach (var input in lineage.Inputs)
            {
                if (!readBy.TryGetValue(input, out var readers)) readBy[input] = readers = [];
                readers.Add(lineage.Id);
                paths.Add(input);
            }
            foreach (var output in lineage.Outputs)
            {
                producedBy[output.Path] = lineage;
                paths.Add(output.Path);
            }
        }
        paths = paths.Distinct(StringComparer.Ordinal).ToList();
        var files = new LineageFileModel[paths.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = StatusConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, paths.Count), parallel, async (i, ct) =>
        {
            string path = paths[i];
            var producer = producedBy.GetValueOrDefault(path);
            files[i] = new LineageFileModel(path, await StateOfAsync(path, producer, ct), producer?.Id,
                readBy.TryGetValue(path, out var readers) ? readers : []);
        });
        return new LineageModel(lineages.Select(ToModel).ToList(), files);
    }

    private async Task<LineageFileState> StateOfAsync(string path, LineageInfo? producer, CancellationToken cancellationToken)
    {
        if (producer is not null)
        {
            if (producer.Outputs.First(o => o.Path == path).FileId is null) return LineageFileState.Deleted;
            if (producer.Runs.Any(r => r.Outcome == LineageRunOutcome.Running)) return LineageFileState.Recomputing;
        }
        FileStatus status;
        try
        {
            status = await master.CallAsync((fs, ct) => fs.GetStatusAsync(path, ct), cancellationToken);
        }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound)
        {
            return LineageFileState.Deleted;
        }
        switch (status.PersistenceState)
        {
            case PersistenceState.Persisted: return LineageFileState.Persisted;
            case PersistenceState.Lost: return LineageFileState.Lost;
        }
        if (!status.Completed) return LineageFileState.Writing;
        var locations = await blocks.LocateAsync(status, cancellationToken);
        if (locations.Any(l => l.Location.SiloAddress.Length == 0)) return LineageFileState.Unknown;
        return locations.All(l => l.Location.Stored is not null) ? LineageFileState.InMemory : LineageFileState.Lost;
    }

    private static LineageRecordModel ToModel(LineageInfo lineage) => new(
        lineage.Id,
        lineage.Job.Kind.ToString(),
        Describe(lineage.Job),
        lineage.Inputs,
        lineage.Outputs.Select(o => o.Path).ToList(),
        lineage.CreatedAt,
        lineage.Parents,
        lineage.Children,
        lineage.Runs.Select(ToModel).ToList());

    private static LineageRunModel ToModel(LineageRun run) => new(
        run.RunId,
        run.Attempt,
        run.Trigger.ToString(),
        run.Outcome.ToString(),
        run.StartedAt,
        run.EndedAt,
        run.EndedAt is { } ended ? (ended - run.StartedAt).TotalMilliseconds : null,
        run.Silo,
        run.ExitCode,
        run.Error,
        run.StdoutTail,
        run.StderrTail);

    /// <summary>The job as one line: the command line, or the in-process type and its arguments.</summary>
    public static string Describe(LineageJob job)
    {
        var words = job.Kind == LineageJobKind.CommandLine
            ? new[] { job.Executable ?? "" }.Concat(job.Arguments)
            : new[] { job.TypeName ?? "" }.Concat(job.JobArguments);
        return string.Join(' ', words.Select(w => w.Length == 0 || w.Any(char.IsWhiteSpace) ? $"\"{w}\"" : w));
    }
}
