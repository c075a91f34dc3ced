namespace OrleansFs.Grains.Journal;

/// <summary>What <see cref="SegmentReader.Next"/> found.</summary>
internal enum SegmentItem
{
    Record,
    End,
    Damaged,
}
