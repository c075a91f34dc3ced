using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFs.Blocks;
using OrleansFs.Client.Streams;
using OrleansFs.Files;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Web.Data;

/// <summary>
/// Where each of a file's blocks is, asked through the client core without loading anything. A block that
/// cannot be located right now is reported with no location rather than failing the whole page.
/// </summary>
public sealed partial class BlockLocator(FileDataClient data, IOptions<WebOptions> options, ILogger<BlockLocator> logger)
{
    public const string MemoryTier = "MEM";

    public Task<BlockPlacementReport[]> LocateAsync(FileStatus file, CancellationToken cancellationToken) =>
        Task.WhenAll(BlockRef.ForFile(file).Select((block, i) => LocateOneAsync(i, block, cancellationToken)));

    /// <summary>The silos holding a block's bytes: its owner, once it has a cached copy.</summary>
    public static IReadOnlyList<string> SilosOf(BlockLocation location) => location.Stored is null ? [] : [location.SiloAddress];

    public static long InMemoryBytesOf(BlockLocation location) =>
        location.Stored is { Tier: MemoryTier } stored ? stored.Length : 0;

    private async Task<BlockPlacementReport> LocateOneAsync(int index, BlockRef block, CancellationToken cancellationToken)
    {
        try
        {
            var location = await data.LocateBlockAsync(block, cancellationToken).WaitAsync(options.Value.GrainCallTimeout, cancellationToken);
            return new BlockPlacementReport(index, block, location);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotLocated(logger, e, block.BlockId, block.Path);
            return new BlockPlacementReport(index, block, new BlockLocation { BlockId = block.BlockId });
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Could not locate block {BlockId} of {Path}")]
    private static partial void LogNotLocated(ILogger logger, Exception exception, long blockId, string path);
}
