namespace OrleansFs.Grains.Journal;

/// <summary>One journal record as read back during recovery or by `ofs journal dump`.</summary>
public readonly record struct JournalRecord(long Sequence, long Epoch, ushort Type, ReadOnlyMemory<byte> Payload);
