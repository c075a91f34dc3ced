namespace OrleansFs.Grains.Lineage.Records;

/// <summary>
/// One input or output of a lineage, bound to a file by its inode id so it follows renames. <see cref="Path"/> is
/// the path when it was bound, or when the file was deleted (<see cref="FileId"/> is then null); a bound file's
/// current path comes from the namespace. <see cref="Checksum"/> is set for outputs once their first bytes are known.
/// </summary>
public sealed record LineageFile(long? FileId, string Path, ulong? Checksum = null)
{
    public bool IsBound => FileId.HasValue;
}
