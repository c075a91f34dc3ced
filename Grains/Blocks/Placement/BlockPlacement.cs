namespace OrleansFs.Grains.Blocks.Placement;

/// <summary>
/// Places a BlockGrain on the silo that already holds its bytes; else on the silo the request came
/// through when it has room; else on the silo with the most memory to spare.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class BlockPlacement : PlacementStrategy;
