namespace OrleansFs.Grains.Journal;

/// <summary>An epoch and its seal: the last valid sequence of the epochs before it, or null if it never sealed (never served).</summary>
public readonly record struct EpochInfo(long Epoch, long? Seal);
