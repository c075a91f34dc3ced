using Microsoft.Extensions.Logging;
using OrleansFs.Errors;
using OrleansFs.Grains.Master.Entries;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.Paths;

namespace OrleansFs.Grains.Master.Sync;

/// <summary>
/// Alluxio's metadata sync: before a listing (and when getStatus misses) the master looks in the under-storage
/// and journals what was written there by someone else as persisted files and directories. The disk is read
/// off the master's turn; only the import itself is applied, in one journaled entry per directory. Lives in
/// the master grain's turns. Concurrent syncs of one path share one look.
/// </summary>
public sealed partial class MetadataSync(MasterService master, IUnderStorage underStorage, SyncIntervalTracker tracker, long blockSizeBytes, ILogger logger)
{
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);

    /// <summary>Brings <paramref name="path"/> in from the under-storage if the namespace lacks it.</summary>
    public Task LoadPathAsync(FsPath path) => path.IsRoot ? Task.CompletedTask : Once("path:" + path.Value, () => LoadAsync(path));

    /// <summary>Imports what a directory holds in the under-storage; with <paramref name="recursive"/>, every directory below too.</summary>
    public async Task SyncDirectoryAsync(FsPath directory, bool recursive)
    {
        var pending = new Stack<FsPath>();
        pending.Push(directory);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            await Once("dir:" + next.Value, () => ListAsync(next));
            if (!recursive) continue;
            foreach (var child in ChildDirectories(next)) pending.Push(child);
        }
    }

    private Task Once(string key, Func<Task> sync)
    {
        if (_running.TryGetValue(key, out var running)) return running;
        var task = RunAsync(key, sync);
        if (!task.IsCompleted) _running[key] = task;
        return task;
    }

    private async Task RunAsync(string key, Func<Task> sync)
    {
        try { await sync(); }
        finally { _running.Remove(key); }
    }

    // A path looked up (getStatus) and a directory listed are tracked apart: loading a directory itself says
    // nothing about its children.
    private static string ListKey(FsPath directory) => "ls:" + directory.Value;
    private static string LookupKey(FsPath path) => "stat:" + path.Value;

    private async Task ListAsync(FsPath directory)
    {
        if (!tracker.IsDue(ListKey(directory))) return;
        var inode = Lookup(directory);
        if (inode is { IsDirectory: false }) return;
        IReadOnlyList<UnderStorageEntry> entries;
        try
        {
            entries = await underStorage.ListAsync(directory);
        }
        catch (FsException e) when (e.Code is FsErrorCode.NotFound or FsErrorCode.NotADirectory)
        {
            tracker.MarkSynced(ListKey(directory));
            return;
        }
        catch (FsException e) when (e.Code == FsErrorCode.PermissionDenied)
        {
            LogSkips(logger, e, directory.Value, e.Reason);
            tracker.MarkSynced(ListKey(directory));
            return;
        }
        // The namespace may have changed while the disk was read; the apply checks again.
        var known = Lookup(directory);
        var missing = entries
            .Where(e => known is null || !known.Children.ContainsKey(e.Path.Name))
            .Select(ToChild)
            .ToList();
        if (missing.Count > 0) await ImportAsync(directory, missing);
        tracker.MarkSynced(ListKey(directory));
    }

    private async Task LoadAsync(FsPath path)
    {
        if (!tracker.IsDue(LookupKey(path)) || path.Name.StartsWith(DirectoryUnderStorage.TempPrefix, StringComparison.Ordinal)) return;
        UnderStorageEntry? entry;
        try
        {
            entry = await underStorage.GetEntryAsync(path);
        }
        catch (FsException e) when (e.Code == FsErrorCode.PermissionDenied)
        {
            LogSkips(logger, e, path.Value, e.Reason);
            entry = null;
        }
        if (entry is not null && Lookup(path) is null) await ImportAsync(path.Parent, [ToChild(entry)]);
        tracker.MarkSynced(LookupKey(path));
    }

    private async Task ImportAsync(FsPath directory, IReadOnlyList<LoadedChild> children)
    {
        await master.LoadMetadata(directory.Value, blockSizeBytes, children);
        LogImported(logger, directory.Value, children.Count);
    }

    private static LoadedChild ToChild(UnderStorageEntry entry) =>
        new(entry.Path.Name, entry.IsDirectory, entry.Length, entry.LastModified.ToUnixTimeMilliseconds());

    private Inodes.Inode? Lookup(FsPath path)
    {
        try { return State.PathResolver.Resolve(master.State.Inodes, path, out _, out _); }
        catch (FsException) { return null; }
    }

    private IEnumerable<FsPath> ChildDirectories(FsPath directory)
    {
        if (Lookup(directory) is not { IsDirectory: true } inode) return [];
        var inodes = master.State.Inodes;
        return inode.Children
            .Where(c => inodes.Get(c.Value) is { IsDirectory: true })
            .Select(c => FsPath.Parse(directory.IsRoot ? "/" + c.Key : directory.Value + "/" + c.Key))
            .ToList();
    }

    [LoggerMessage(EventId = 1710, Level = LogLevel.Warning, Message = "Metadata sync skips {Path}: {Reason}")]
    private static partial void LogSkips(ILogger logger, Exception exception, string path, string reason);

    [LoggerMessage(EventId = 1711, Level = LogLevel.Information, Message = "Metadata sync of {Path}: {Count} file(s) or directories found in the under-storage")]
    private static partial void LogImported(ILogger logger, string path, int count);
}
