using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using OrleansFs.Blocks;
using OrleansFs.Files;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Web.Seams;

/// <summary>
/// Asks each of a file's block grains where its bytes are, without loading them (GetLocation). A block
/// whose grain cannot answer is reported with no location rather than failing the whole page.
/// </summary>
public sealed partial class BlockGrainLocator(IGrainFactory grains, IOptions<WebOptions> options, ILogger<BlockGrainLocator> logger) : IBlockLocator
{
    public const string MemoryTier = "MEM";

    public bool ReportsLocations => true;

    public async Task<IReadOnlyList<BlockLocation>?> LocateAsync(FileStatus file, CancellationToken cancellationToken)
    {
        if (file.IsDirectory) return null;
        var refs = BlockRef.ForFile(file);
        var located = await Task.WhenAll(refs.Select(r => LocateOneAsync(r, cancellationToken)));
        return located;
    }

    private async Task<BlockLocation> LocateOneAsync(BlockRef block, CancellationToken cancellationToken)
    {
        try
        {
            var location = await grains.GetGrain<IBlockGrain>(block.BlockId).GetLocation()
                .WaitAsync(options.Value.GrainCallTimeout, cancellationToken);
            var stored = location.Stored;
            return stored is null
                ? new BlockLocation(block.BlockId, block.Length, [], 0)
                : new BlockLocation(block.BlockId, block.Length, [location.SiloAddress], stored.Tier == MemoryTier ? stored.Length : 0);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogLocateFailed(logger, e, block.BlockId, block.Path, e.Message);
            return new BlockLocation(block.BlockId, block.Length, [], 0);
        }
    }

    [LoggerMessage(EventId = 1800, Level = LogLevel.Warning, Message = "Could not locate block {BlockId} of {Path}: {Reason}")]
    private static partial void LogLocateFailed(ILogger logger, Exception exception, long blockId, string path, string reason);
}
