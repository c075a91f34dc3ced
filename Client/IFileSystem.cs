using OrleansFs.Client.Cluster;
using OrleansFs.Files;
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

    /// <summary>A directory's children (all descendants with <paramref name="recursive"/>), or a file itself.</summary>
    Task<IReadOnlyList<FileStatus>> ListStatusAsync(string path, bool recursive = false, CancellationToken cancellationToken = default);

    Task DeleteAsync(string path, bool recursive = false, CancellationToken cancellationToken = default);

    /// <summary>Moves a file or directory atomically; never into its own subtree.</summary>
    Task RenameAsync(string source, string destination, CancellationToken cancellationToken = default);

    Task<FileStatus> SetAttributeAsync(string path, SetAttributeOptions options, CancellationToken cancellationToken = default);

    Task<MasterInfo> GetMasterInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>Recent master takeovers, newest last.</summary>
    Task<IReadOnlyList<MasterTakeover>> GetTakeoversAsync(CancellationToken cancellationToken = default);

    /// <summary>Every silo in the membership table, dead ones included.</summary>
    Task<IReadOnlyList<SiloMember>> GetClusterMembersAsync(CancellationToken cancellationToken = default);
}
