namespace OrleansFs.Silo.Web.Models;

/// <summary>What a lineage file's bytes are doing now, as the Lineage page shows it.</summary>
public enum LineageFileState
{
    /// <summary>Every block is held by a live worker, and the file is not persisted: a loss would recompute it.</summary>
    InMemory,
    /// <summary>In the under-storage: a loss reloads it.</summary>
    Persisted,
    /// <summary>Some block is held by no live worker and the file is not persisted.</summary>
    Lost,
    /// <summary>Its lineage's job is running now (a recompute, or a run asked for).</summary>
    Recomputing,
    /// <summary>Created but not complete: the application or the job has not finished writing it.</summary>
    Writing,
    /// <summary>The file no longer exists.</summary>
    Deleted,
    /// <summary>Its blocks could not be located right now (a worker did not answer in time).</summary>
    Unknown,
}
