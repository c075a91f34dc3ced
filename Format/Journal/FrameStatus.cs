namespace OrleansFs.Grains.Journal;

/// <summary>What <see cref="RecordFrame.TryRead"/> found at a position in a log segment.</summary>
public enum FrameStatus
{
    Valid,
    /// <summary>The bytes end before the frame does (a torn write, or simply the end of the buffer).</summary>
    Incomplete,
    /// <summary>The length field is impossible (smaller than a header or larger than the limit).</summary>
    BadLength,
    BadChecksum,
}
