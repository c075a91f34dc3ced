using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFs.Blocks;
using OrleansFs.Metrics;

namespace OrleansFs.Grains.Blocks.Scrub;

/// <summary>
/// Reads every block of this silo's store in the background and checks it against its checksums
/// (<see cref="BlockStore.Scrub"/>): once at start, where it is the restart scan's check of the blocks found on disk
/// and tmpfs, then every <see cref="WorkerOptions.ScrubInterval"/>, at most <see cref="WorkerOptions.ScrubBytesPerSecond"/>.
/// Reads of a block this worker verified skip hashing; this is what still finds a block damaged without its file
/// changing (memory errors) or before anyone reads it. A damaged block is dropped; a persisted one is reloaded from the
/// under-storage by its grain on the next read.
/// </summary>
public sealed partial class BlockScrubber(BlockStore store, IOptions<WorkerOptions> options, ILogger<BlockScrubber> logger) : BackgroundService
{
    private static readonly Meter Meter = new(MetricNames.Meter);
    private static readonly Counter<long> Blocks = Meter.CreateCounter<long>(MetricNames.ScrubBlocks, "{block}", "Blocks the scrubber checked against their checksums");
    private static readonly Counter<long> Bytes = Meter.CreateCounter<long>(MetricNames.ScrubBytes, "By", "Block bytes the scrubber checked");
    private static readonly Counter<long> Corrupt = Meter.CreateCounter<long>(MetricNames.ScrubCorrupt, "{block}", "Blocks the scrubber found damaged and dropped");
    private readonly SemaphoreSlim _pass = new(1, 1);
    private ScrubProgress _progress = new();

    public ScrubProgress Progress => Volatile.Read(ref _progress);

    /// <summary>Runs a whole pass now (after the one under way, if any) and returns the totals after it.</summary>
    public async Task<ScrubProgress> ScrubNowAsync(CancellationToken cancellationToken = default)
    {
        await PassAsync(throttled: false, cancellationToken);
        return Progress;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // off the host's start
        try
        {
            await ScheduledPassAsync(stoppingToken);
            var interval = options.Value.ScrubInterval;
            if (interval <= TimeSpan.Zero) return;
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(stoppingToken)) await ScheduledPassAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task ScheduledPassAsync(CancellationToken stoppingToken)
    {
        try { await PassAsync(throttled: true, stoppingToken); }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogPassFailed(logger, e); // the next pass tries again
        }
    }

    private async Task PassAsync(bool throttled, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BlockSidecar.ChunkBytes);
        try
        {
            var ids = store.BlockIds();
            var clock = Stopwatch.StartNew();
            long bytes = 0;
            int corrupt = 0;
            Update(p => p with { Running = (0, ids.Count) });
            for (int i = 0; i < ids.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long length = store.GetInfo(ids[i])?.Length ?? 0;
                var outcome = await Task.Run(() => store.Scrub(ids[i], buffer), cancellationToken);
                if (outcome == ScrubOutcome.Gone) length = 0;
                if (outcome == ScrubOutcome.Corrupt) corrupt++;
                bytes += length;
                Record(outcome, length, i + 1, ids.Count);
                if (throttled) await ThrottleAsync(bytes, clock.Elapsed, cancellationToken);
            }
            Update(p => p with { PassesCompleted = p.PassesCompleted + 1, LastPassCompleted = DateTimeOffset.UtcNow, Running = null });
            LogPassDone(logger, ids.Count, bytes, corrupt, clock.Elapsed);
        }
        finally
        {
            Update(p => p with { Running = null });
            ArrayPool<byte>.Shared.Return(buffer);
            _pass.Release();
        }
    }

    private void Record(ScrubOutcome outcome, long length, int done, int total)
    {
        if (outcome != ScrubOutcome.Gone)
        {
            Blocks.Add(1);
            Bytes.Add(length);
        }
        if (outcome == ScrubOutcome.Corrupt) Corrupt.Add(1);
        Update(p => p with
        {
            BlocksChecked = p.BlocksChecked + (outcome == ScrubOutcome.Gone ? 0 : 1),
            BytesChecked = p.BytesChecked + length,
            CorruptBlocks = p.CorruptBlocks + (outcome == ScrubOutcome.Corrupt ? 1 : 0),
            Running = (done, total),
        });
    }

    /// <summary>Waits until the pass's bytes are within the configured rate.</summary>
    private Task ThrottleAsync(long bytes, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var due = TimeSpan.FromSeconds((double)bytes / options.Value.ScrubBytesPerSecond);
        return due > elapsed ? Task.Delay(due - elapsed, cancellationToken) : Task.CompletedTask;
    }

    private void Update(Func<ScrubProgress, ScrubProgress> change)
    {
        // Only the pass holding _pass changes progress, so a plain write is enough.
        Volatile.Write(ref _progress, change(_progress));
    }

    public override void Dispose()
    {
        base.Dispose();
        _pass.Dispose();
    }

    [LoggerMessage(EventId = 1531, Level = LogLevel.Information,
        Message = "Scrub pass done: {Blocks} blocks, {Bytes} bytes checked, {Corrupt} damaged and dropped, in {Elapsed}")]
    private static partial void LogPassDone(ILogger logger, int blocks, long bytes, int corrupt, TimeSpan elapsed);

    [LoggerMessage(EventId = 1532, Level = LogLevel.Error, Message = "A scrub pass failed; the next one starts at the next interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
