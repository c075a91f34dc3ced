namespace OrleansFs.Grains.Journal;

/// <summary>The fixed fields of a record frame after its length and checksum.</summary>
public readonly record struct FrameHeader(long Sequence, long Epoch, ushort Type);
