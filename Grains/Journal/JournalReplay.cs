namespace OrleansFs.Grains.Journal;

/// <summary>What a backend's replay found: where it started, what it applied, and the newest checkpoint.</summary>
/// <param name="Checkpoint">The newest checkpoint's sequence (never past the state replay started from).</param>
/// <param name="ResumedFrom">The standby state's sequence when replay resumed it instead of loading a checkpoint.</param>
/// <param name="Bytes">Framed size of the records replayed, for the bytes-since-checkpoint stat.</param>
/// <param name="TornBytes">Bytes of a torn tail cut off (a backend that cannot tear reports 0).</param>
internal readonly record struct JournalReplay(long Checkpoint, DateTimeOffset? CheckpointTime, long? ResumedFrom,
    long LastSequence, long Records, long Bytes, long TornBytes);
