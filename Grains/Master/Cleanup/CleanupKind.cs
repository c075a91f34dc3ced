namespace OrleansFs.Grains.Master.Cleanup;

/// <summary>What a <see cref="CleanupTask"/> does outside the namespace. Stored in checkpoints: never renumber.</summary>
public enum CleanupKind
{
    /// <summary>Drop blocks from worker memory only (a file replaced by an overwriting create).</summary>
    DropBlocks = 0,
    /// <summary>Remove the under-storage copy of a deleted file or tree, and drop its blocks.</summary>
    Delete = 1,
    /// <summary>Move the under-storage copy of a renamed file or tree.</summary>
    Rename = 2,
}
