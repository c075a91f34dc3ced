namespace OrleansFs.Grains.Journal;

/// <summary>Creates the journal a new master activation recovers from and writes to (one per activation).</summary>
public interface IJournalFactory
{
    IJournal Create();

    /// <summary>A read-only follower of the same journal, for the warm standby.</summary>
    IJournalTailer CreateTailer();
}
