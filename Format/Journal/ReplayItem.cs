namespace OrleansFs.Grains.Journal;

/// <summary>A record read back from the log, with where it was found.</summary>
internal readonly record struct ReplayItem(LogSegment Segment, long Offset, int FrameSize, JournalRecord Record);
