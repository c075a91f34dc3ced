namespace OrleansFs.Grains.Blocks.Scrub;

/// <summary>What scrubbing one block found.</summary>
public enum ScrubOutcome
{
    /// <summary>Every chunk matched its checksum.</summary>
    Intact,
    /// <summary>A chunk did not match: the block was dropped.</summary>
    Corrupt,
    /// <summary>The block left the store before it was checked.</summary>
    Gone,
}
