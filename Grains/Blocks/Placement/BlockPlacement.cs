namespace OrleansFs.Grains.Blocks.Placement;

/// <summary>
/// Places a BlockGrain on the silo that already holds its bytes; else on the silo the request came
/// through when it has room; else on the silo with the most memory to spare.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class BlockPlacement : PlacementStrategy
{
    /// <summary>RequestContext key a writer sets to the block size, so "has room" means room for this block.</summary>
    public const string BlockBytesKey = "ofs.block-bytes";
}
