namespace OrleansFs.Files;

/// <summary>Whether a file's bytes are in the under-storage.</summary>
public enum PersistenceState
{
    NotPersisted = 0,
    ToBePersisted = 1,
    Persisted = 2,
    Lost = 3,
}
