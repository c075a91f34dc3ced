namespace OrleansFs.Grains.Master.Entries;

/// <summary>The journal record type of each master entry. Never renumber: old journals must stay readable.</summary>
public enum MasterEntryType : ushort
{
    CreateDirectory = 1,
    CreateFile = 2,
    CompleteFile = 3,
    Delete = 4,
    Rename = 5,
    SetAttribute = 6,
    OperationFailed = 7,
    Takeover = 8,
    // 9-15 left for the namespace's own entries.
    CleanupDone = 16,
    LoadMetadata = 17,
    // Lineage (docs/lineage.md); 22-29 left for lineage's own later entries.
    CreateLineage = 18,
    DeleteLineage = 19,
    LineageRun = 20,
    LineageChecksum = 21,
}
