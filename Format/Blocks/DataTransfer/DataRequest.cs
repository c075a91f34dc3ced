namespace OrleansFs.Blocks.DataTransfer;

/// <summary>A decoded request frame header. For writes, <see cref="Count"/> payload bytes follow it.</summary>
public readonly record struct DataRequest(DataRequestKind Kind, long BlockId, long Offset, int Count);
