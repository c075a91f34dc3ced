using OrleansFs.Files;
using OrleansFs.Lineage;

namespace OrleansFs.Master;

/// <summary>
/// The namespace master: one activation (key 0) holds the inode tree. Every mutation is journaled
/// before it is acknowledged and carries a client request id, so a retry with the same id returns the
/// first result and changes nothing. Paths cross the wire as strings and are validated here.
/// </summary>
public interface IMasterGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    Task<FileStatus> CreateDirectory(string path, bool recursive, Guid requestId);
    Task<FileStatus> CreateFile(string path, CreateFileOptions options, Guid requestId);
    /// <summary>Seals a file that was being written at its final length.</summary>
    Task<FileStatus> CompleteFile(string path, long length, Guid requestId);
    Task<FileStatus> GetStatus(string path);
    Task<IReadOnlyList<FileStatus>> ListStatus(string path, bool recursive);
    /// <summary>
    /// One page of a directory's children (all descendants with <see cref="ListingRequest.Recursive"/>), or a file
    /// itself. A token whose directory was deleted or replaced meanwhile gives NotFound; a token that is not one
    /// of this listing's gives InvalidArgument.
    /// </summary>
    Task<ListingPage> ListStatusPage(string path, ListingRequest request);
    /// <summary>Returns the journal position the delete is at (or, for a retry, a later one).</summary>
    Task<JournalPosition> Delete(string path, bool recursive, Guid requestId);
    /// <summary>Returns the journal position the rename is at (or, for a retry, a later one).</summary>
    Task<JournalPosition> Rename(string source, string destination, Guid requestId);
    /// <summary>getStatus with the journal position of the answer; a null status when nothing is at the path.</summary>
    Task<StatusRead> ReadStatus(string path);
    /// <summary>listStatus with the journal position of the answer; null entries when nothing is at the path.</summary>
    Task<ListingRead> ReadListing(string path, bool recursive);
    Task<FileStatus> SetAttribute(string path, SetAttributeOptions options, Guid requestId);
    Task<MasterInfo> GetInfo();
    /// <summary>Recent master takeovers, newest last (bounded).</summary>
    Task<IReadOnlyList<MasterTakeover>> GetTakeovers();
    /// <summary>
    /// Moves the master to <paramref name="target"/> as soon as the calls in flight are done: its silo is stopping.
    /// Calls that arrive meanwhile are forwarded to the new activation, which recovers from the journal.
    /// </summary>
    Task HandOff(SiloAddress target);

    // ---- lineage (docs/lineage.md) ----

    /// <summary>
    /// Records which job makes <see cref="CreateLineageRequest.Outputs"/> from <see cref="CreateLineageRequest.Inputs"/>.
    /// Inputs must exist and be complete (persisted, or outputs of another lineage); outputs must not exist and are
    /// created as new empty files bound to the lineage; a cycle or a refused job changes nothing.
    /// </summary>
    Task<LineageInfo> CreateLineage(CreateLineageRequest request, Guid requestId);
    Task<LineageInfo?> GetLineage(long id);
    Task<IReadOnlyList<LineageInfo>> ListLineages();
    /// <summary>The lineage whose output the file is, or null.</summary>
    Task<LineageInfo?> GetLineageOfFile(string path);
    /// <summary>Forgets a lineage; its outputs stay as plain files. With <paramref name="cascade"/>, the lineages downstream go too.</summary>
    Task DeleteLineage(long id, bool cascade, Guid requestId);
    /// <summary>Journals one attempt of the lineage's job, replacing the one with the same run id and attempt.</summary>
    Task RecordLineageRun(long id, LineageRun run, Guid requestId);
    /// <summary>Journals the checksum of an output's first completed bytes; later ones do not replace it.</summary>
    Task RecordLineageChecksum(long id, string path, ulong checksum, Guid requestId);
}
