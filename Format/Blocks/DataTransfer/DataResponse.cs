namespace OrleansFs.Blocks.DataTransfer;

/// <summary>A decoded response frame header; <see cref="Length"/> payload bytes follow it.</summary>
public readonly record struct DataResponse(DataStatus Status, int Length);
