using Microsoft.Extensions.Logging;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Master;
using OrleansFs.Lineage;

namespace OrleansFs.Grains.Lineage.Checkpoint;

/// <summary>
/// The master's background checkpointing of lineage outputs: every <c>Lineage:Checkpoint:Interval</c> it reads
/// the lineage graph and its outputs' states, asks <see cref="EdgeCheckpointPolicy"/> what to persist, and persists
/// the first <c>MaxPersistsPerPass</c> outputs of the plan through their PersistGrains (the same copy as an
/// ASYNC_THROUGH write), waiting for them before planning again, so the policy's order is the order files
/// become persisted. Once persisted, a lost block reloads from the under-storage instead of recomputing.
/// </summary>
public sealed partial class LineageCheckpointer(
    Func<Task<IReadOnlyList<LineageInfo>>> listLineages,
    Func<string, Task<FileStatus>> getStatus,
    Func<long, string, Task> persist,
    LineageCheckpointOptions options,
    ILogger logger)
{
    private readonly BackgroundPass _pass = new();

    /// <summary>Starts a pass unless one is running.</summary>
    public void Kick() => _pass.Kick(RunAsync);

    public Task StopAsync() => _pass.StopAsync();

    private async Task RunAsync()
    {
        try
        {
            // Plan, persist a batch, plan again with the new states, until nothing is left or a persist fails.
            // Each output at most once per pass, whatever the states say.
            var persisted = new HashSet<string>(StringComparer.Ordinal);
            while (await PersistNextBatchAsync(persisted)) { }
        }
        catch (Exception error)
        {
            LogPassFailed(logger, error, error.Message);
        }
    }

    /// <summary>True when a whole batch was persisted and there may be more to do.</summary>
    private async Task<bool> PersistNextBatchAsync(HashSet<string> persisted)
    {
        var lineages = await listLineages();
        if (lineages.Count == 0) return false;
        var (files, inodes) = await ReadOutputsAsync(lineages);
        var nodes = lineages.Select(ToNode).ToList();
        var batch = EdgeCheckpointPolicy.Plan(nodes, files, options.MaxChainRecomputeTime)
            .Where(c => !persisted.Contains(c.Path)).Take(options.MaxPersistsPerPass).ToList();
        if (batch.Count == 0) return false;
        var done = await Task.WhenAll(batch.Select(choice => PersistAsync(choice, inodes[choice.Path])));
        persisted.UnionWith(batch.Select(c => c.Path));
        return done.All(d => d);
    }

    private async Task<bool> PersistAsync(CheckpointChoice choice, long inodeId)
    {
        LogPersisting(logger, choice.Path, choice.LineageId,
            choice.Leaf ? "a leaf of the lineage graph" : $"its rebuild would take {choice.RecomputeTime}, over {options.MaxChainRecomputeTime}");
        try
        {
            await persist(inodeId, choice.Path);
            LogPersisted(logger, choice.Path, choice.LineageId);
            return true;
        }
        catch (Exception error)
        {
            LogPersistFailed(logger, error, choice.Path, error.Message);
            return false;
        }
    }

    private async Task<(Dictionary<string, CheckpointFileState> Files, Dictionary<string, long> Inodes)> ReadOutputsAsync(
        IReadOnlyList<LineageInfo> lineages)
    {
        var files = new Dictionary<string, CheckpointFileState>(StringComparer.Ordinal);
        var inodes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var lineage in lineages)
        {
            // A job running now is rewriting its outputs: copying them meanwhile would persist half a file.
            bool running = lineage.Runs.Any(r => r.Outcome == LineageRunOutcome.Running);
            foreach (var output in lineage.Outputs)
            {
                var status = output.FileId is null || running ? null : await TryGetStatusAsync(output.Path);
                files[output.Path] = StateOf(status);
                if (status is not null) inodes[output.Path] = status.InodeId;
            }
        }
        return (files, inodes);
    }

    private async Task<FileStatus?> TryGetStatusAsync(string path)
    {
        try { return await getStatus(path); }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound) { return null; }
    }

    public static CheckpointFileState StateOf(FileStatus? status) => status switch
    {
        null => CheckpointFileState.NotReady,
        { PersistenceState: PersistenceState.Persisted or PersistenceState.ToBePersisted } => CheckpointFileState.Persisted,
        { PersistenceState: PersistenceState.Lost } or { Completed: false } => CheckpointFileState.NotReady,
        _ => CheckpointFileState.InMemory,
    };

    private CheckpointNode ToNode(LineageInfo lineage) =>
        new(lineage.Id, lineage.Inputs, lineage.Outputs.Select(o => o.Path).ToList(), RunTimeOf(lineage), lineage.CreatedAt);

    /// <summary>How long the job took the last time it succeeded; <c>AssumedRunTime</c> when it never ran.</summary>
    private TimeSpan RunTimeOf(LineageInfo lineage)
    {
        var last = lineage.Runs.LastOrDefault(r => r is { Outcome: LineageRunOutcome.Succeeded, EndedAt: not null });
        return last is null ? options.AssumedRunTime : last.EndedAt!.Value - last.StartedAt;
    }

    [LoggerMessage(EventId = 2280, Level = LogLevel.Information, Message = "Checkpointing lineage output {Path} (lineage {LineageId}): {Reason}")]
    private static partial void LogPersisting(ILogger logger, string path, long lineageId, string reason);

    [LoggerMessage(EventId = 2281, Level = LogLevel.Information, Message = "Checkpointed lineage output {Path} (lineage {LineageId}): a loss now reloads it")]
    private static partial void LogPersisted(ILogger logger, string path, long lineageId);

    [LoggerMessage(EventId = 2282, Level = LogLevel.Warning, Message = "Checkpointing lineage output {Path} failed ({Reason}); the next pass tries again")]
    private static partial void LogPersistFailed(ILogger logger, Exception exception, string path, string reason);

    [LoggerMessage(EventId = 2283, Level = LogLevel.Warning, Message = "A lineage checkpoint pass failed ({Reason}); the next pass tries again")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string reason);
}
