namespace OrleansFs.Grains.Blocks.Placement;

/// <summary>Places a grain keyed by a silo's parsable address on that very silo (one worker grain per silo).</summary>
[GenerateSerializer, Immutable]
public sealed class SiloPinnedPlacement : PlacementStrategy;
