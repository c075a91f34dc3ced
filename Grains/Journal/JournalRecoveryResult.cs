namespace OrleansFs.Grains.Journal;

public sealed record JournalRecoveryResult(
    long Epoch,
    long CheckpointSequence,
    long RecordsReplayed,
    long LastSequence,
    long TornBytesTruncated,
    TimeSpan Duration);
