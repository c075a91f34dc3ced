namespace OrleansFs.Grains.Journal;

public sealed record JournalRecoveryResult(
    long Epoch,
    long CheckpointSequence,
    long RecordsReplayed,
    long LastSequence,
    long TornBytesTruncated,
    TimeSpan Duration,
    /// <summary>The sequence of the standby state recovery continued from; null when it started from the checkpoint.</summary>
    long? ResumedFrom = null);
