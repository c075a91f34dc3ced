using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFs.Errors;
using OrleansFs.Paths;

namespace OrleansFs.Grains.UnderStorage;

/// <summary>
/// The under-storage as a local (typically shared, e.g. NFS) directory. Every path is checked against the
/// real root: <see cref="FsPath"/> already refuses <c>..</c> and control characters, and each existing
/// component that is a symlink must resolve to a place inside the root, so a link planted in the
/// under-storage cannot make OrleansFs read or write elsewhere. Every system call runs on the
/// <see cref="UnderStorageIoScheduler"/>'s threads, never on the caller's (a grain's turn).
/// </summary>
public sealed partial class DirectoryUnderStorage : IUnderStorage
{
    internal const string TempPrefix = ".ofs-tmp-";

    private readonly ILogger<DirectoryUnderStorage> _logger;
    private readonly UnderStorageIoScheduler _io;

    public DirectoryUnderStorage(IOptions<UnderStorageOptions> options, ILogger<DirectoryUnderStorage> logger)
        : this(options, logger, UnderStorageIoScheduler.Shared)
    {
    }

    public DirectoryUnderStorage(IOptions<UnderStorageOptions> options, ILogger<DirectoryUnderStorage> logger, UnderStorageIoScheduler io)
    {
        _logger = logger;
        _io = io;
        string configured = Path.GetFullPath(options.Value.Directory);
        Directory.CreateDirectory(configured);
        Root = RealPath.Resolve(configured)
               ?? throw new InvalidOperationException($"under-storage root {configured} cannot be resolved");
        LogRoot(_logger, Root);
    }

    public string Root { get; }

    internal UnderStorageIoScheduler Io => _io;

    public Task<IUnderStorageWriter> CreateAsync(FsPath path, CancellationToken cancellationToken = default) =>
        _io.Run(() => Create(path), cancellationToken);

    public Task<Stream> OpenReadAsync(FsPath path, long offset, CancellationToken cancellationToken = default) =>
        _io.Run(() => OpenRead(path, offset), cancellationToken);

    public Task<UnderStorageEntry?> GetEntryAsync(FsPath path, CancellationToken cancellationToken = default) =>
        _io.Run(() => GetEntry(path), cancellationToken);

    public Task<IReadOnlyList<UnderStorageEntry>> ListAsync(FsPath directory, CancellationToken cancellationToken = default) =>
        _io.Run(() => List(directory, cancellationToken), cancellationToken);

    public Task<bool> DeleteAsync(FsPath path, CancellationToken cancellationToken = default) =>
        _io.Run(() => Delete(path), cancellationToken);

    public Task<bool> RenameAsync(FsPath source, FsPath destination, CancellationToken cancellationToken = default) =>
        _io.Run(() => Rename(source, destination), cancellationToken);

    public Task CreateDirectoryAsync(FsPath path, CancellationToken cancellationToken = default) =>
        _io.Run(() => CreateDirectory(path), cancellationToken);

    private IUnderStorageWriter Create(FsPath path)
    {
        if (path.IsRoot) throw FsException.IsADirectory(path.Value);
        string local = Resolve(path);
        if (Directory.Exists(local)) throw FsException.IsADirectory(path.Value);
        string parent = Path.GetDirectoryName(local)!;
        CreateDirectory(path.Parent);
        string temp = Path.Join(parent, TempPrefix + Guid.NewGuid().ToString("N"));
        return new DirectoryUnderStorageWriter(this, path, temp, local);
    }

    private Stream OpenRead(FsPath path, long offset)
    {
        if (offset < 0) throw FsException.InvalidArgument(path.Value, $"negative offset {offset}");
        string local = Resolve(path);
        if (Directory.Exists(local)) throw FsException.IsADirectory(path.Value);
        if (!File.Exists(local)) throw FsException.NotFound(path.Value);
        var file = File.OpenHandle(local, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            FileOptions.SequentialScan);
        return new UnderStorageReadStream(file, offset, _io);
    }

    private UnderStorageEntry? GetEntry(FsPath path)
    {
        string local = Resolve(path);
        if (Directory.Exists(local))
            return new UnderStorageEntry(path, true, 0, Directory.GetLastWriteTimeUtc(local));
        var file = new FileInfo(local);
        return file.Exists ? new UnderStorageEntry(path, false, file.Length, file.LastWriteTimeUtc) : null;
    }

    private IReadOnlyList<UnderStorageEntry> List(FsPath directory, CancellationToken cancellationToken)
    {
        string local = Resolve(directory);
        if (!Directory.Exists(local))
            throw File.Exists(local) ? FsException.NotADirectory(directory.Value) : FsException.NotFound(directory.Value);
        var entries = new List<UnderStorageEntry>();
        foreach (var info in new DirectoryInfo(local).EnumerateFileSystemInfos())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (info.Name.StartsWith(TempPrefix, StringComparison.Ordinal)) continue;
            // Names OrleansFs cannot represent (control characters, over-long) are left out rather than mangled.
            if (FsPath.ValidateName(info.Name) is { } invalid)
            {
                LogInvalidName(_logger, info.Name, directory.Value, invalid);
                continue;
            }
            if (!FsPath.TryParse(directory.IsRoot ? "/" + info.Name : directory.Value + "/" + info.Name, out var child))
            {
                LogPathTooLong(_logger, info.Name, directory.Value);
                continue;
            }
            if (info.LinkTarget is not null && SkipLink(info, child)) continue;
            if (GetEntry(child) is { } entry) entries.Add(entry);
        }
        entries.Sort((a, b) => a.Path.CompareTo(b.Path));
        return entries;
    }

    /// <summary>
    /// Links leading outside the root are never followed; links to directories neither, as a link to an
    /// ancestor would make the tree endless. Links to files inside the root are listed as those files.
    /// </summary>
    private bool SkipLink(FileSystemInfo info, FsPath child)
    {
        string? real = RealPath.Resolve(info.FullName);
        if (!IsInside(real))
        {
            LogLinkOutsideRoot(_logger, child.Value, info.LinkTarget);
            return true;
        }
        if (Directory.Exists(real))
        {
            LogLinkToDirectory(_logger, child.Value);
            return true;
        }
        return false;
    }

    private bool Delete(FsPath path)
    {
        if (path.IsRoot) throw FsException.InvalidPath(path.Value, "cannot delete the under-storage root");
        string local = Resolve(path);
        if (Directory.Exists(local) && new FileInfo(local).LinkTarget is null)
        {
            Directory.Delete(local, recursive: true);
            return true;
        }
        if (!File.Exists(local) && new FileInfo(local).LinkTarget is null) return false;
        File.Delete(local);
        return true;
    }

    private bool Rename(FsPath source, FsPath destination)
    {
        if (source.IsRoot || destination.IsRoot) throw FsException.InvalidPath(source.Value, "cannot rename the root");
        if (source.IsAncestorOrSelfOf(destination) && source != destination)
            throw FsException.InvalidPath(destination.Value, $"cannot move {source} into itself");
        string from = Resolve(source), to = Resolve(destination);
        if (File.Exists(to) || Directory.Exists(to)) throw FsException.AlreadyExists(destination.Value);
        CreateDirectory(destination.Parent);
        if (Directory.Exists(from)) Directory.Move(from, to);
        else if (File.Exists(from)) File.Move(from, to);
        else return false;
        return true;
    }

    private void CreateDirectory(FsPath path)
    {
        string local = Resolve(path);
        if (File.Exists(local)) throw FsException.NotADirectory(path.Value);
        Directory.CreateDirectory(local);
        // Re-check after creating: a component could have been swapped for a link meanwhile.
        Resolve(path);
    }

    /// <summary>Maps a path under the root, refusing any existing component that leads outside it.</summary>
    internal string Resolve(FsPath path)
    {
        string current = Root;
        foreach (string segment in path.Segments())
        {
            current = Path.Join(current, segment);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                string? real = RealPath.Resolve(current);
                if (!IsInside(real))
                    throw new FsException(FsErrorCode.PermissionDenied, path.Value,
                        $"'{segment}' is a symlink leading outside the under-storage root");
            }
            else if (!info.Exists && !Directory.Exists(current))
            {
                // Nothing exists below a missing component, so the rest cannot be a link.
                return Path.Join(Root, path.Value);
            }
        }
        return current;
    }

    private bool IsInside(string? real) =>
        real is not null && (real == Root || real.StartsWith(Root + "/", StringComparison.Ordinal));

    /// <summary>Called on an I/O thread.</summary>
    internal void Commit(FsPath path, string temp, string final)
    {
        Resolve(path);
        if (Directory.Exists(final)) throw FsException.IsADirectory(path.Value);
        File.Move(temp, final, overwrite: true);
        LogPersisted(_logger, path.Value);
    }

    [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "Under-storage at {Root}")]
    private static partial void LogRoot(ILogger logger, string root);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "Under-storage entry {Name} in {Directory} is skipped: {Reason}")]
    private static partial void LogInvalidName(ILogger logger, string name, string directory, string reason);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Under-storage entry {Name} in {Directory} is skipped: its path is too long")]
    private static partial void LogPathTooLong(ILogger logger, string name, string directory);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Warning, Message = "Under-storage entry {Path} is skipped: it is a symlink leading outside the root (to {Target})")]
    private static partial void LogLinkOutsideRoot(ILogger logger, string path, string? target);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Warning, Message = "Under-storage entry {Path} is skipped: it is a symlink to a directory")]
    private static partial void LogLinkToDirectory(ILogger logger, string path);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Debug, Message = "Persisted {Path} to under-storage")]
    private static partial void LogPersisted(ILogger logger, string path);
}
