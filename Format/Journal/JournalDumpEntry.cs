namespace OrleansFs.Grains.Journal;

/// <summary>
/// One line of a journal dump: a record and where it is, or (when <see cref="TornBytes"/> is positive)
/// the torn tail that recovery would cut at <see cref="Offset"/> of <see cref="File"/>.
/// </summary>
public readonly record struct JournalDumpEntry(string File, long Offset, JournalRecord Record, long TornBytes)
{
    public bool IsTornTail => TornBytes > 0;
}
