using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>
/// One journaled master mutation. It carries everything that is not determined by the namespace itself
/// (the client request id, the time) so that applying it to the same namespace gives the same result live
/// and in replay. Inode ids are not stored: they come from the namespace's own counter.
/// </summary>
public abstract record MasterEntry(Guid RequestId, long TimeMs)
{
    public abstract MasterEntryType Type { get; }

    /// <summary>The version of this entry's encoding written now; decoders accept every older one.</summary>
    public virtual byte Version => 1;

    /// <summary>The path(s) the entry concerns, for `ofs journal dump` and logs.</summary>
    public abstract string Describe();

    internal abstract void WriteBody(ref EntryWriter writer);
}
