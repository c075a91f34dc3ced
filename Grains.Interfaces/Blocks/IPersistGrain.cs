namespace OrleansFs.Blocks;

/// <summary>
/// Copies a completed file's blocks into the under-storage and records it as persisted with the master.
/// Keyed by inode id, so one file is never persisted twice at once.
/// </summary>
public interface IPersistGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Persists now; returns when the file is in the under-storage and marked persisted, with the journal position
    /// of that mark, so a client that waited for it reads it back (docs/architecture.md, "Consistency").
    /// </summary>
    Task<OrleansFs.Master.JournalPosition> Persist(string path);
    /// <summary>Persists in the background (ASYNC_THROUGH), retrying on failure.</summary>
    Task Schedule(string path);
}
