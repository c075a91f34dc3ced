using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansFs.Blocks;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Lineage.Jobs;
using OrleansFs.Lineage;
using OrleansFs.Paths;

namespace OrleansFs.Grains.Lineage.Recompute;

/// <summary>
/// One lineage's runs (key: the lineage id), one at a time, on the live silo this activation is on. A recompute first
/// rebuilds lost inputs (through their own lineage grains), then runs the job with its outputs redirected to scratch
/// paths, checks the bytes against the checksum of the first completed output (different bytes: NonDeterministic,
/// never served), writes them back into the lost blocks of the original files, and removes the scratch copy. A failed
/// attempt is retried with backoff up to `Lineage:MaxAttempts`, all within `Lineage:RecomputeTimeout`; every attempt
/// is journaled through the master. Readers that call while a run is in flight wait for that run.
/// </summary>
[Reentrant]
public sealed partial class LineageGrain(
    LineageJobExecutor executor,
    MasterCalls master,
    IOptions<LineageOptions> options,
    ILocalSiloDetails silo,
    TimeProvider time,
    ILogger<LineageGrain> logger) : Grain, ILineageGrain
{
    /// <summary>How long a reader's call waits for the run before it is told to retry: well inside Orleans' response timeout.</summary>
    public static readonly TimeSpan ReaderWait = TimeSpan.FromSeconds(20);
    /// <summary>How long an explicit run's call waits before it answers "still running" (a client's response timeout is shorter).</summary>
    public static readonly TimeSpan RunWait = TimeSpan.FromSeconds(2.5);
    /// <summary>How long a failed recompute still answers readers that were waiting for it, before a new run may start.</summary>
    private static readonly TimeSpan ResultKept = TimeSpan.FromSeconds(10);
    private const int RequestsKept = 64;

    private readonly SemaphoreSlim _oneRun = new(1, 1);
    private readonly Dictionary<Guid, Task<LineageRun>> _requested = new();
    private readonly Queue<Guid> _requestOrder = new();
    private Task? _recompute;
    private DateTimeOffset _recomputeEnded;
    private LineageRun? _current;

    private long Id => this.GetPrimaryKeyLong();
    private LineageOptions Options => options.Value;
    private string SiloName => silo.SiloAddress.Endpoint.ToString();

    public async Task Recompute(BlockRef lostBlock)
    {
        var run = RecomputeFor(lostBlock);
        try
        {
            await run.WaitAsync(ReaderWait);
        }
        catch (TimeoutException)
        {
            throw FsException.Unavailable($"lineage {Id} is rebuilding {lostBlock.Path} ({Describe(_current)}); retry");
        }
    }

    public async Task<LineageRun> Run(Guid requestId)
    {
        if (!_requested.TryGetValue(requestId, out var run))
        {
            run = RequestedRunAsync();
            _requested[requestId] = run;
            _requestOrder.Enqueue(requestId);
            while (_requestOrder.Count > RequestsKept) _requested.Remove(_requestOrder.Dequeue());
        }
        try
        {
            return await run.WaitAsync(RunWait);
        }
        catch (TimeoutException)
        {
            // Still going: the caller asks again with the same request id.
            return _current ?? new LineageRun { Outcome = LineageRunOutcome.Running, Silo = SiloName, StartedAt = time.GetUtcNow() };
        }
    }

    public async Task OutputCompleted(string path)
    {
        var info = await LoadAsync();
        if (info.Outputs.FirstOrDefault(o => o.Path == path) is not { Checksum: null } output) return;
        var status = await master.CallAsync(m => m.GetStatus(path));
        if (!status.Completed || status.InodeId != output.FileId) return;
        await RecordChecksumAsync(path, await OutputChecksum.ComputeAsync(GrainFactory, status));
    }

    /// <summary>
    /// The run a reader of <paramref name="lostBlock"/> waits for: the one in flight, or one that just failed (its
    /// readers get its error), else a new one. A block a run has just written back is found in its worker's store by
    /// the recomputer before it asks; asked anyway, it was lost again.
    /// </summary>
    private Task RecomputeFor(BlockRef lostBlock)
    {
        if (_recompute is { IsCompleted: false } running) return running;
        if (_recompute is { IsFaulted: true } failed && time.GetUtcNow() - _recomputeEnded < ResultKept) return failed;
        _recompute = RecomputeAsync(lostBlock.Path);
        return _recompute;
    }

    private async Task RecomputeAsync(string wanted)
    {
        await _oneRun.WaitAsync();
        try
        {
            DelayDeactivation(Options.RecomputeTimeout + TimeSpan.FromMinutes(1));
            var deadline = time.GetUtcNow() + Options.RecomputeTimeout;
            var info = await LoadAsync();
            await RebuildLostInputsAsync(info, deadline);
            var outputs = await OutputFilesAsync(info);
            var run = await RunAttemptsAsync(info, LineageRunTrigger.Recompute, outputs, deadline);
            if (run.Outcome != LineageRunOutcome.Succeeded) throw Lost(wanted, run);
            LogRebuilt(logger, Id, run.RunId, run.Attempt, string.Join(", ", outputs.Select(o => o.Path)));
        }
        finally
        {
            _recomputeEnded = time.GetUtcNow();
            _oneRun.Release();
        }
    }

    private async Task<LineageRun> RequestedRunAsync()
    {
        await _oneRun.WaitAsync();
        try
        {
            DelayDeactivation(Options.RecomputeTimeout + TimeSpan.FromMinutes(1));
            var info = await LoadAsync();
            await RebuildLostInputsAsync(info, time.GetUtcNow() + Options.RecomputeTimeout);
            return await RunAttemptsAsync(info, LineageRunTrigger.Requested, await OutputFilesAsync(info),
                time.GetUtcNow() + Options.RecomputeTimeout);
        }
        finally
        {
            _oneRun.Release();
        }
    }

    /// <summary>Attempts of one run until one succeeds, the job proves non-deterministic, or attempts or time run out.</summary>
    private async Task<LineageRun> RunAttemptsAsync(LineageInfo info, LineageRunTrigger trigger, IReadOnlyList<OutputFile> outputs,
        DateTimeOffset deadline)
    {
        int runId = info.Runs.Length == 0 ? 1 : info.Runs.Max(r => r.RunId) + 1;
        await CloseAbandonedAsync(info, runId);
        var schedule = RetrySchedule.From(Options);
        for (int attempt = 1; ; attempt++)
        {
            var run = await AttemptAsync(info, trigger, outputs, runId, attempt, deadline);
            if (run.Outcome is LineageRunOutcome.Succeeded or LineageRunOutcome.NonDeterministic) return run;
            if (schedule.NextDelay(attempt, time.GetUtcNow(), deadline) is not { } pause) return run;
            LogRetrying(logger, Id, runId, attempt, run.Error ?? "", pause.TotalSeconds);
            await Task.Delay(pause, time);
        }
    }

    private async Task<LineageRun> AttemptAsync(LineageInfo info, LineageRunTrigger trigger, IReadOnlyList<OutputFile> outputs,
        int runId, int attempt, DateTimeOffset deadline)
    {
        var targets = trigger == LineageRunTrigger.Recompute
            ? info.Outputs.Select((o, i) => ScratchPath(runId, attempt, i, o.Path)).ToArray()
            : info.Outputs.Select(o => o.Path).ToArray();
        var run = _current = new LineageRun
        {
            RunId = runId, Attempt = attempt, Trigger = trigger, StartedAt = time.GetUtcNow(), Silo = SiloName,
            Outcome = LineageRunOutcome.Running,
        };
        await RecordRunAsync(run);
        LogAttempt(logger, Id, runId, attempt, trigger, SiloName);
        var left = deadline - time.GetUtcNow();
        var outcome = left > TimeSpan.Zero
            ? await executor.RunAsync(info, trigger, runId, attempt, targets, left, CancellationToken.None)
            : new JobOutcome { TimedOut = true };
        var (result, error) = outcome.Succeeded ? await CheckAsync(trigger, outputs, targets) : (Failure(outcome), outcome.Describe());
        if (trigger == LineageRunTrigger.Recompute) await DeleteAsync(AttemptDirectory(runId, attempt));
        run = _current = run with
        {
            EndedAt = time.GetUtcNow(), Outcome = result, ExitCode = outcome.ExitCode, Error = error ?? outcome.Error,
            StdoutTail = outcome.StdoutTail, StderrTail = outcome.StderrTail,
        };
        await RecordRunAsync(run);
        return run;
    }

    private static LineageRunOutcome Failure(JobOutcome outcome) => outcome.TimedOut ? LineageRunOutcome.TimedOut : LineageRunOutcome.Failed;

    /// <summary>
    /// After the job succeeded: every output written and complete, its bytes the first run's (a recompute then writes
    /// them back into the lost blocks), and the checksum recorded when none was.
    /// </summary>
    private async Task<(LineageRunOutcome, string?)> CheckAsync(LineageRunTrigger trigger, IReadOnlyList<OutputFile> outputs, string[] targets)
    {
        var written = new List<(OutputFile Output, FileStatus Copy, ulong Checksum)>();
        foreach (var output in outputs)
        {
            string target = targets[output.Index];
            FileStatus copy;
            try { copy = await master.CallAsync(m => m.GetStatus(target)); }
            catch (FsException e) when (e.Code == FsErrorCode.NotFound)
            {
                return (LineageRunOutcome.Failed, $"the job succeeded but did not write {target} (output {output.Path})");
            }
            if (!copy.Completed) return (LineageRunOutcome.Failed, $"the job succeeded but left {target} (output {output.Path}) incomplete");
            ulong checksum = await OutputChecksum.ComputeAsync(GrainFactory, copy);
            if (Different(output, copy, checksum) is { } difference) return (LineageRunOutcome.NonDeterministic, difference);
            written.Add((output, copy, checksum));
        }
        foreach (var (output, _, checksum) in written.Where(w => w.Output.Output.Checksum is null))
            await RecordChecksumAsync(output.Path, checksum);
        if (trigger != LineageRunTrigger.Recompute) return (LineageRunOutcome.Succeeded, null);
        try
        {
            foreach (var (output, copy, _) in written) await WriteBackAsync(output, copy);
        }
        catch (Exception e) when (e is FsException || MasterCalls.IsTransient(e))
        {
            return (LineageRunOutcome.Failed, $"could not write the rebuilt bytes back: {e.Message}");
        }
        return (LineageRunOutcome.Succeeded, null);
    }

    /// <summary>Why the copy is not the output's first bytes, or null when it is (or nothing was recorded to compare).</summary>
    private static string? Different(OutputFile output, FileStatus copy, ulong checksum)
    {
        if (output.Status.Completed && output.Status.BlockIds.Count > 0 && copy.Length != output.Status.Length)
            return $"the job wrote {copy.Length} bytes for {output.Path}, which has {output.Status.Length}: it is not deterministic, and its output is not served";
        if (output.Output.Checksum is { } first && first != checksum)
            return $"the job wrote different bytes for {output.Path} (checksum {checksum:x16}, the first run's {first:x16}): it is not deterministic, and its output is not served";
        return null;
    }

    /// <summary>Writes every block of the output back from the checked copy (blocks still held are left as they are).</summary>
    private async Task WriteBackAsync(OutputFile output, FileStatus copy)
    {
        if (!output.Status.Completed) return;
        var source = BlockRef.ForFile(copy);
        foreach (var block in BlockRef.ForFile(output.Status))
        {
            await GrainFactory.GetGrain<IBlockGrain>(block.BlockId).Rebuild(block, source.ToArray());
        }
    }

    /// <summary>Inputs made by another lineage that lost blocks are rebuilt first (recursively, by that lineage's grain).</summary>
    private async Task RebuildLostInputsAsync(LineageInfo info, DateTimeOffset deadline)
    {
        foreach (string input in info.Inputs)
        {
            FileStatus status;
            try { status = await master.CallAsync(m => m.GetStatus(input)); }
            catch (FsException e) when (e.Code == FsErrorCode.NotFound) { continue; } // the job will say what it misses
            if (status.PersistenceState == PersistenceState.Persisted || status.LineageId is not { } parent || !status.Completed) continue;
            if (await FirstLostBlockAsync(status) is not { } lost) continue;
            LogInputLost(logger, Id, input, parent);
            await WaitForParentAsync(parent, lost, deadline);
        }
    }

    private async Task<BlockRef?> FirstLostBlockAsync(FileStatus file)
    {
        foreach (var block in BlockRef.ForFile(file))
        {
            if (block.Length == 0) continue;
            var location = await GrainFactory.GetGrain<IBlockGrain>(block.BlockId).GetLocation();
            if (location.Stored is null) return block;
        }
        return null;
    }

    /// <summary>The parent's grain answers Unavailable while its run goes on; ask again until it ends or time runs out.</summary>
    private async Task WaitForParentAsync(long parent, BlockRef lost, DateTimeOffset deadline)
    {
        while (true)
        {
            try
            {
                await GrainFactory.GetGrain<ILineageGrain>(parent).Recompute(lost);
                return;
            }
            catch (Exception e) when (MasterCalls.IsTransient(e) && time.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), time);
            }
        }
    }

    /// <summary>The outputs still at their recorded paths (a deleted one is no longer rebuilt).</summary>
    private async Task<IReadOnlyList<OutputFile>> OutputFilesAsync(LineageInfo info)
    {
        var files = new List<OutputFile>();
        for (int i = 0; i < info.Outputs.Length; i++)
        {
            var output = info.Outputs[i];
            if (output.FileId is null) continue;
            try
            {
                var status = await master.CallAsync(m => m.GetStatus(output.Path));
                if (status.InodeId == output.FileId) files.Add(new OutputFile(i, output, status));
            }
            catch (FsException e) when (e.Code == FsErrorCode.NotFound) { }
        }
        return files;
    }

    /// <summary>Attempts left Running by an activation whose silo died are closed; their scratch copies go too.</summary>
    private async Task CloseAbandonedAsync(LineageInfo info, int runId)
    {
        foreach (var stale in info.Runs.Where(r => r.Outcome == LineageRunOutcome.Running))
        {
            await RecordRunAsync(stale with
            {
                EndedAt = time.GetUtcNow(), Outcome = LineageRunOutcome.Failed,
                Error = $"abandoned: silo {stale.Silo} went away before the attempt ended; run {runId} takes over",
            });
        }
        await DeleteAsync(LineageDirectory());
    }

    private async Task<LineageInfo> LoadAsync() =>
        await master.CallAsync(m => m.GetLineage(Id)) ?? throw new FsException(FsErrorCode.NotFound, null, $"no lineage {Id}");

    private Task RecordRunAsync(LineageRun run)
    {
        var requestId = Guid.NewGuid();
        return master.CallAsync(m => m.RecordLineageRun(Id, run, requestId));
    }

    private Task RecordChecksumAsync(string path, ulong checksum)
    {
        var requestId = Guid.NewGuid();
        return master.CallAsync(m => m.RecordLineageChecksum(Id, path, checksum, requestId));
    }

    private async Task DeleteAsync(string path)
    {
        var requestId = Guid.NewGuid();
        try { await master.CallAsync(m => m.Delete(path, true, requestId)); }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound) { }
        catch (Exception e) when (e is FsException || MasterCalls.IsTransient(e)) { LogScratchLeft(logger, e, path); }
    }

    private string LineageDirectory() => FsPath.Parse(Options.ScratchDirectory).Child(Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Value;

    private string AttemptDirectory(int runId, int attempt) => FsPath.Parse(LineageDirectory()).Child($"run-{runId}-{attempt}").Value;

    /// <summary>Where an attempt of a recompute writes output <paramref name="index"/>: its own directory, the output's own name.</summary>
    private string ScratchPath(int runId, int attempt, int index, string output) =>
        FsPath.Parse(AttemptDirectory(runId, attempt)).Child(index.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Child(FsPath.Parse(output).Name).Value;

    private static string Describe(LineageRun? run) => run is null ? "starting" : $"run {run.RunId}, attempt {run.Attempt}, since {run.StartedAt:HH:mm:ss}";

    private FsException Lost(string path, LineageRun run)
    {
        string how = run.Outcome switch
        {
            LineageRunOutcome.NonDeterministic => run.Error ?? "different bytes",
            LineageRunOutcome.TimedOut => $"attempt {run.Attempt} timed out (Lineage:RecomputeTimeout {Options.RecomputeTimeout})",
            _ => run.ExitCode is { } code && code != 0
                ? $"attempt {run.Attempt} ended with exit code {code}{Tail(run.StderrTail)}"
                : $"attempt {run.Attempt} failed: {FirstLine(run.Error)}",
        };
        return new FsException(FsErrorCode.FileLost, path, $"lineage {Id} could not rebuild it: run {run.RunId} {how}");
    }

    private static string FirstLine(string? text) => (text ?? "no reason given").Split('\n')[0].Trim();

    private static string Tail(string stderr)
    {
        string line = stderr.TrimEnd().Split('\n')[^1].Trim();
        return line.Length == 0 ? "" : $" ({(line.Length > 200 ? line[..200] + "…" : line)})";
    }

    [LoggerMessage(EventId = 2237, Level = LogLevel.Information, Message = "Lineage {LineageId} run {RunId} attempt {Attempt} ({Trigger}) starts on {Silo}")]
    private static partial void LogAttempt(ILogger logger, long lineageId, int runId, int attempt, LineageRunTrigger trigger, string silo);

    [LoggerMessage(EventId = 2238, Level = LogLevel.Warning, Message = "Lineage {LineageId} run {RunId} attempt {Attempt} failed ({Reason}); retrying in {Seconds:0.#} s")]
    private static partial void LogRetrying(ILogger logger, long lineageId, int runId, int attempt, string reason, double seconds);

    [LoggerMessage(EventId = 2239, Level = LogLevel.Information, Message = "Lineage {LineageId} run {RunId} rebuilt {Outputs} on attempt {Attempt}")]
    private static partial void LogRebuilt(ILogger logger, long lineageId, int runId, int attempt, string outputs);

    [LoggerMessage(EventId = 2240, Level = LogLevel.Information, Message = "Lineage {LineageId}: input {Input} lost blocks; lineage {Parent} rebuilds it first")]
    private static partial void LogInputLost(ILogger logger, long lineageId, string input, long parent);

    [LoggerMessage(EventId = 2241, Level = LogLevel.Warning, Message = "Could not remove the lineage scratch copy {Path}; it is left in the namespace")]
    private static partial void LogScratchLeft(ILogger logger, Exception exception, string path);
}
