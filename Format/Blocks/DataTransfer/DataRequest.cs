namespace OrleansFs.Blocks.DataTransfer;

/// <summary>
/// A decoded request frame header. For writes, <see cref="Count"/> payload bytes follow it. <see cref="Token"/>
/// must be a valid <see cref="BlockAccessToken"/> for this block and kind, or the endpoint refuses the request.
/// </summary>
public readonly record struct DataRequest(DataRequestKind Kind, long BlockId, long Offset, int Count, BlockAccessToken Token = default);
