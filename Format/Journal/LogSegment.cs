namespace OrleansFs.Grains.Journal;

/// <summary>One log file: the records of one epoch starting at <see cref="FirstSequence"/>.</summary>
public sealed record LogSegment(string Path, long Epoch, long FirstSequence);
