using OrleansFs.Blocks;

namespace OrleansFs.Client.Streams;

/// <summary>One block of a file and where it is, for `ofs location`.</summary>
public sealed record BlockPlacementReport(int Index, BlockRef Block, BlockLocation Location);
