using OrleansFs.Client.Cluster;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.Master;

namespace OrleansFs.Client;

/// <summary>
/// The OrleansFs namespace as an application sees it. Paths are absolute (`/a/b`) and are checked here
/// before anything is sent, so a bad path fails with <see cref="OrleansFs.Errors.FsException"/>
/// (<c>InvalidPath</c>, naming the path) and changes nothing. Mutations are retried safely across
/// failovers: each call carries one request id for all its attempts, and the master applies it once.
/// </summary>
public interface IFileSystem
{
    /// <summary>Creates a directory; with <paramref name="recursive"/>, missing parents too.</summary>
    Task<FileStatus> CreateDirectoryAsync(string path, bool recursive = false, CancellationToken cancellationToken = default);

    /// <summary>Creates a file entry that is being written (not yet completed); its bytes come with the data API.</summary>
    Task<FileStatus> CreateFileEntryAsync(string path, CreateFileOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Seals a file that is being written at its final length.</summary>
    Task<FileStatus> CompleteFileAsync(string path, long length, CancellationToken cancellationToken = default);

    Task<FileStatus> GetStatusAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>True when the path names a file or directory.</summary>
    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// A directory's children (all descendants with <paramref name="recursive"/>, depth-first in name order), or a file
    /// itself, gathered from <see cref="EnumerateStatusAsync"/>: a big directory is better streamed.
    /// </summary>
    Task<IReadOnlyList<FileStatus>> ListStatusAsync(string path, bool recursive = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="ListStatusAsync"/> as a stream: page by page (<see cref="OrleansFsClientOptions.ListingPageSize"/>
    /// entries each, every page retried on its own), each entry yielded as its page arrives. Pages resume after the last
    /// name returned, so while others create and delete no entry comes twice and every entry present throughout comes.
    /// </summary>
    IAsyncEnumerable<FileStatus> EnumerateStatusAsync(string path, bool recursive = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of a listing, for a caller that pages itself (a web page's "next" link): pass the page's
    /// <see cref="ListingPage.ContinuationToken"/> as the next request's <see cref="ListingRequest.StartAfter"/>.
    /// </summary>
    Task<ListingPage> ListStatusPageAsync(string path, ListingRequest request, CancellationToken cancellationToken = default);

    Task DeleteAsync(string path, bool recursive = false, CancellationToken cancellationToken = default);

    /// <summary>Moves a file or directory atomically; never into its own subtree.</summary>
    Task RenameAsync(string source, string destination, CancellationToken cancellationToken = default);

    Task<FileStatus> SetAttributeAsync(string path, SetAttributeOptions options, CancellationToken cancellationToken = default);

    Task<MasterInfo> GetMasterInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>Recent master takeovers, newest last.</summary>
    Task<IReadOnlyList<MasterTakeover>> GetTakeoversAsync(CancellationToken cancellationToken = default);

    /// <summary>Every silo in the membership table, dead ones included.</summary>
    Task<IReadOnlyList<SiloMember>> GetClusterMembersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that <paramref name="job"/> makes <paramref name="outputs"/> from <paramref name="inputs"/> and returns
    /// the lineage's id. The outputs are created as new empty files the application then writes; with
    /// <paramref name="run"/>, the cluster runs the job once now.
    /// </summary>
    Task<long> CreateLineageAsync(IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, LineageJob job,
        bool run = false, CancellationToken cancellationToken = default);

    /// <summary>A lineage; <c>NotFound</c> when there is none with this id.</summary>
    Task<LineageInfo> GetLineageAsync(long id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LineageInfo>> ListLineagesAsync(CancellationToken cancellationToken = default);

    /// <summary>The lineage whose output the file is, or null.</summary>
    Task<LineageInfo?> GetLineageOfFileAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Forgets a lineage (its outputs stay as plain files); with <paramref name="cascade"/>, the lineages downstream too.</summary>
    Task DeleteLineageAsync(long id, bool cascade = false, CancellationToken cancellationToken = default);
}
