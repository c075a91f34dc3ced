using System.Collections.Immutable;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Lineage.Records;
using OrleansFs.Grains.Master.Cleanup;
using OrleansFs.Grains.Master.Entries;
using OrleansFs.Grains.Master.Inodes;
using OrleansFs.Grains.Master.Retry;
using OrleansFs.Paths;

namespace OrleansFs.Grains.Master.State;

/// <summary>
/// One namespace mutation in progress. Each operation validates everything first and throws before it
/// writes; writes go to an editor over the immutable state, so a refused operation leaves no trace.
/// </summary>
internal sealed class NamespaceChange
{
    private readonly MasterState _before;
    private readonly long _timeMs;
    private readonly Guid _requestId;
    private readonly InodeMap.Editor _inodes;
    private CleanupTask? _cleanup;
    private ImmutableHashSet<long>.Builder? _ttl;
    private LineageTable _lineages;
    private long _nextId;
    private long _files;
    private long _directories;

    public NamespaceChange(MasterState before, long timeMs, Guid requestId = default)
    {
        _before = before;
        _timeMs = timeMs;
        _requestId = requestId;
        _inodes = before.Inodes.Edit();
        _nextId = before.NextInodeId;
        _files = before.FileCount;
        _directories = before.DirectoryCount;
        _lineages = before.Lineages;
    }

    public MasterState ToState() => _before with
    {
        Inodes = _inodes.ToMap(),
        NextInodeId = _nextId,
        FileCount = _files,
        DirectoryCount = _directories,
        TtlInodes = _ttl?.ToImmutable() ?? _before.TtlInodes,
        Cleanups = _cleanup is null ? _before.Cleanups : _before.Cleanups.Add(_cleanup),
        Lineages = _lineages,
    };

    public CachedResult CreateDirectory(FsPath path, bool recursive)
    {
        string[] segments = path.Segments();
        var existing = PathResolver.Resolve(_inodes, path, out var deepest, out int found);
        if (existing is not null)
        {
            if (existing.IsDirectory && recursive) return CachedResult.Success(existing, path.Value);
            throw FsException.AlreadyExists(path.Value);
        }
        if (!recursive && found < segments.Length - 1) throw ParentMissing(path);
        var created = CreateDirectories(deepest, segments, found, segments.Length, path);
        return CachedResult.Success(created, path.Value);
    }

    public CachedResult CreateFile(FsPath path, CreateFileEntry options)
    {
        if (options.BlockSizeBytes <= 0) throw FsException.InvalidArgument(path.Value, $"block size must be positive, not {options.BlockSizeBytes}");
        CheckTtl(path, options.TtlMs);
        if (!Enum.IsDefined(options.WriteType)) throw FsException.InvalidArgument(path.Value, $"unknown write type {(int)options.WriteType}");
        if (!Enum.IsDefined(options.TtlAction)) throw FsException.InvalidArgument(path.Value, $"unknown TTL action {(int)options.TtlAction}");
        if (path.IsRoot) throw FsException.AlreadyExists(path.Value);
        string[] segments = path.Segments();
        var existing = PathResolver.Resolve(_inodes, path, out var deepest, out int found);
        long? rewritten = null;
        if (existing is not null)
        {
            if (existing.IsDirectory) throw options.Overwrite ? FsException.IsADirectory(path.Value) : FsException.AlreadyExists(path.Value);
            if (!options.Overwrite && IsUnwrittenLineageOutput(existing)) return ReopenLineageOutput(existing, path, options);
            if (!options.Overwrite) throw FsException.AlreadyExists(path.Value);
            // The new file takes the old one's place in every lineage: it is the same path, rewritten.
            if (_lineages.IsBound(existing.Id)) rewritten = existing.Id;
            // The new file takes over the path in the under-storage (its copy replaces the old one); only
            // the old blocks must go.
            var replaced = RemoveSubtree(existing, keepLineage: true);
            AddCleanup(CleanupKind.DropBlocks, null, null, replaced);
            deepest = _inodes[existing.ParentId];
            found = segments.Length - 1;
        }
        else if (found < segments.Length - 1 && !options.Recursive)
        {
            throw ParentMissing(path);
        }
        var parent = CreateDirectories(deepest, segments, found, segments.Length - 1, path);
        var file = new Inode
        {
            Id = TakeId(path),
            ParentId = parent.Id,
            Name = segments[^1],
            IsDirectory = false,
            CreationTimeMs = _timeMs,
            ModificationTimeMs = _timeMs,
            BlockSizeBytes = options.BlockSizeBytes,
            WriteType = options.WriteType,
            TtlMs = options.TtlMs,
            TtlAction = options.TtlAction,
            Pinned = options.Pinned,
        };
        AddChild(parent, file);
        _files++;
        if (rewritten is { } old) _lineages = _lineages.Rebind(old, file.Id);
        return CachedResult.Success(file, path.Value);
    }

    /// <summary>An output a lineage created and nobody has written yet: the application's create opens it (Alluxio's reinitializeFile).</summary>
    private bool IsUnwrittenLineageOutput(Inode file) => !file.Completed && _lineages.ProducerOf(file.Id) is not null;

    /// <summary>Takes the writer's options for an unwritten lineage output and keeps its id, so it stays bound to its lineage.</summary>
    private CachedResult ReopenLineageOutput(Inode file, FsPath path, CreateFileEntry options)
    {
        var reopened = file with
        {
            BlockSizeBytes = options.BlockSizeBytes,
            WriteType = options.WriteType,
            TtlMs = options.TtlMs,
            TtlAction = options.TtlAction,
            Pinned = options.Pinned,
            ModificationTimeMs = _timeMs,
        };
        Put(reopened);
        return CachedResult.Success(reopened, path.Value);
    }

    // ---- lineage (docs/lineage.md, "Lineage records") ----

    /// <summary>Checks a new lineage, creates its outputs as empty files bound to it, and records it.</summary>
    public CachedResult CreateLineage(CreateLineageEntry entry)
    {
        var inputs = LineageValidation.CheckInputs(_inodes, _lineages, entry.Inputs);
        var outputPaths = LineageValidation.CheckOutputs(_inodes, _lineages, inputs, entry.Outputs);
        var outputs = new List<LineageFile>(outputPaths.Count);
        foreach (var path in outputPaths)
        {
            var created = CreateFile(path, new CreateFileEntry(_requestId, _timeMs, path.Value, CreateFileOptions.DefaultBlockSizeBytes,
                Recursive: true, Overwrite: false, WriteType.MustCache, TtlMs: -1, default, Pinned: false));
            outputs.Add(new LineageFile(created.Status!.InodeId, path.Value));
        }
        _lineages = _lineages.Add(inputs, outputs, entry.Job, _timeMs, entry.Run, out long id);
        return CachedResult.ForLineage(id);
    }

    public CachedResult DeleteLineage(long id, bool cascade)
    {
        _lineages = _lineages.Remove(id, cascade, out _);
        return CachedResult.Success(null);
    }

    public CachedResult RecordLineageRun(long id, LineageRunData run)
    {
        _lineages = _lineages.RecordRun(id, run);
        return CachedResult.Success(null);
    }

    public CachedResult RecordLineageChecksum(long id, FsPath path, ulong checksum)
    {
        var file = PathResolver.Resolve(_inodes, path, out _, out _) ?? throw FsException.NotFound(path.Value);
        _lineages = _lineages.RecordChecksum(id, file.Id, path.Value, checksum);
        return CachedResult.Success(null);
    }

    public CachedResult CompleteFile(FsPath path, long length)
    {
        if (length < 0) throw FsException.InvalidArgument(path.Value, $"length must not be negative, not {length}");
        var file = PathResolver.Resolve(_inodes, path, out _, out _) ?? throw FsException.NotFound(path.Value);
        if (file.IsDirectory) throw FsException.IsADirectory(path.Value);
        if (file.Completed) throw FsException.InvalidArgument(path.Value, "file is already complete");
        if (Inode.BlockCount(length, file.BlockSizeBytes) > Inode.MaxBlocksPerFile)
            throw FsException.InvalidArgument(path.Value, $"length {length} needs more than {Inode.MaxBlocksPerFile} blocks of {file.BlockSizeBytes} bytes");
        var completed = file with { Length = length, Completed = true, ModificationTimeMs = _timeMs };
        _inodes.Set(completed);
        return CachedResult.Success(completed, path.Value);
    }

    public CachedResult Delete(FsPath path, bool recursive)
    {
        if (path.IsRoot) throw FsException.InvalidArgument(path.Value, "the root directory cannot be deleted");
        var inode = PathResolver.Resolve(_inodes, path, out _, out _) ?? throw FsException.NotFound(path.Value);
        if (inode.IsDirectory && inode.Children.Count > 0 && !recursive) throw FsException.DirectoryNotEmpty(path.Value);
        var removed = RemoveSubtree(inode);
        AddCleanup(CleanupKind.Delete, MayBeInUnderStorage(removed) ? path.Value : null, null, removed);
        return CachedResult.Success(null);
    }

    public CachedResult Rename(FsPath source, FsPath destination)
    {
        if (source.IsRoot) throw FsException.InvalidArgument(source.Value, "the root directory cannot be renamed");
        var inode = PathResolver.Resolve(_inodes, source, out _, out _) ?? throw FsException.NotFound(source.Value);
        if (source == destination) throw FsException.AlreadyExists(destination.Value);
        if (source.IsAncestorOrSelfOf(destination))
            throw FsException.InvalidArgument(destination.Value, $"cannot move {source.Value} into its own subtree");
        if (PathResolver.Resolve(_inodes, destination, out var deepest, out int found) is not null)
            throw FsException.AlreadyExists(destination.Value);
        if (found < destination.Depth - 1) throw ParentMissing(destination);
        if (!deepest.IsDirectory)
            throw new FsException(FsErrorCode.NotADirectory, destination.Value, $"{destination.Parent.Value} is not a directory");

        var oldParent = _inodes[inode.ParentId];
        _inodes.Set(oldParent with { Children = oldParent.Children.Remove(inode.Name), ModificationTimeMs = _timeMs });
        var moved = inode with { ParentId = deepest.Id, Name = destination.Name };
        AddChild(_inodes[deepest.Id], moved);
        if (inode.IsDirectory || MayBeInUnderStorage([inode])) AddCleanup(CleanupKind.Rename, source.Value, destination.Value, []);
        return CachedResult.Success(null);
    }

    /// <summary>
    /// Adds what a metadata sync found in the under-storage and the namespace still lacks. Never refuses:
    /// whatever the namespace has (a file where the directory should be, a child of the same name) wins, and
    /// paths an unfinished cleanup will delete or move are left out, so a deleted file cannot come back.
    /// </summary>
    public CachedResult LoadMetadata(FsPath directory, LoadMetadataEntry entry)
    {
        if (entry.BlockSizeBytes <= 0) throw FsException.InvalidArgument(directory.Value, $"block size must be positive, not {entry.BlockSizeBytes}");
        if (PendingCleanupTouches(directory)) return CachedResult.Success(null);
        Inode? parent;
        string[] segments = directory.Segments();
        try
        {
            parent = PathResolver.Resolve(_inodes, directory, out var deepest, out int found)
                     ?? CreateDirectories(deepest, segments, found, segments.Length, directory, PersistenceState.Persisted);
        }
        catch (FsException e) when (e.Code == FsErrorCode.NotADirectory)
        {
            return CachedResult.Success(null);
        }
        if (!parent.IsDirectory) return CachedResult.Success(null);
        foreach (var child in entry.Children)
        {
            if (FsPath.ValidateName(child.Name) is not null || parent.Children.ContainsKey(child.Name)) continue;
            if (!FsPath.TryParse(directory.IsRoot ? "/" + child.Name : directory.Value + "/" + child.Name, out var path)) continue;
            if (PendingCleanupTouches(path)) continue;
            var inode = new Inode
            {
                Id = TakeId(path),
                ParentId = parent.Id,
                Name = child.Name,
                IsDirectory = child.IsDirectory,
                CreationTimeMs = child.ModifiedMs,
                ModificationTimeMs = child.ModifiedMs,
                PersistenceState = PersistenceState.Persisted,
                Completed = true,
                Length = child.IsDirectory ? 0 : child.Length,
                BlockSizeBytes = child.IsDirectory ? 0 : entry.BlockSizeBytes,
                WriteType = WriteType.CacheThrough,
            };
            if (!child.IsDirectory && Inode.BlockCount(inode.Length, inode.BlockSizeBytes) > Inode.MaxBlocksPerFile) continue;
            AddChild(parent, inode);
            parent = _inodes[parent.Id];
            if (child.IsDirectory) _directories++;
            else _files++;
        }
        return CachedResult.Success(null);
    }

    private bool PendingCleanupTouches(FsPath path) => _before.Cleanups.Exists(task => task.Touches(path));

    public CachedResult SetAttribute(FsPath path, SetAttributeEntry options)
    {
        if (options.TtlMs is { } ttl) CheckTtl(path, ttl);
        if (options.TtlAction is { } action && !Enum.IsDefined(action))
            throw FsException.InvalidArgument(path.Value, $"unknown TTL action {(int)action}");
        if (options.PersistenceState is { } state && !Enum.IsDefined(state))
            throw FsException.InvalidArgument(path.Value, $"unknown persistence state {(int)state}");
        var target = PathResolver.Resolve(_inodes, path, out _, out _) ?? throw FsException.NotFound(path.Value);
        foreach (var inode in options.Recursive ? Subtree(target) : [target])
        {
            Put(inode with
            {
                Pinned = options.Pinned ?? inode.Pinned,
                TtlMs = options.TtlMs ?? inode.TtlMs,
                TtlAction = options.TtlAction ?? inode.TtlAction,
                PersistenceState = options.PersistenceState ?? inode.PersistenceState,
            });
        }
        return CachedResult.Success(_inodes[target.Id], path.Value);
    }

    private static void CheckTtl(FsPath path, long ttlMs)
    {
        if (ttlMs < -1) throw FsException.InvalidArgument(path.Value, $"TTL must be -1 (none) or at least 0 ms, not {ttlMs}");
    }

    private static FsException ParentMissing(FsPath path) =>
        new(FsErrorCode.NotFound, path.Value, $"parent directory {path.Parent.Value} does not exist");

    /// <summary>Creates segments [from, to) below <paramref name="parent"/>; returns the last directory (or the parent).</summary>
    private Inode CreateDirectories(Inode parent, string[] segments, int from, int to, FsPath path,
        PersistenceState persistence = PersistenceState.NotPersisted)
    {
        for (int i = from; i < to; i++)
        {
            var directory = new Inode
            {
                Id = TakeId(path),
                ParentId = parent.Id,
                Name = segments[i],
                IsDirectory = true,
                CreationTimeMs = _timeMs,
                ModificationTimeMs = _timeMs,
                Completed = true,
                PersistenceState = persistence,
            };
            AddChild(parent, directory);
            _directories++;
            parent = directory;
        }
        return parent;
    }

    private long TakeId(FsPath path)
    {
        if (_nextId > Inode.MaxInodeId) throw new FsException(FsErrorCode.NoSpace, path.Value, "the namespace has run out of inode ids");
        return _nextId++;
    }

    private void AddChild(Inode parent, Inode child)
    {
        _inodes.Set(parent with { Children = parent.Children.Add(child.Name, child.Id), ModificationTimeMs = _timeMs });
        Put(child);
    }

    /// <summary>Stores an inode and keeps the TTL index in step.</summary>
    private void Put(Inode inode)
    {
        var previous = _inodes.Get(inode.Id);
        _inodes.Set(inode);
        if (inode.HasTtl != (previous?.HasTtl ?? false))
        {
            _ttl ??= _before.TtlInodes.ToBuilder();
            if (inode.HasTtl) _ttl.Add(inode.Id);
            else _ttl.Remove(inode.Id);
        }
    }

    /// <summary>Removes an inode and everything below it; returns what was removed.</summary>
    private List<Inode> RemoveSubtree(Inode top, bool keepLineage = false)
    {
        var parent = _inodes[top.ParentId];
        _inodes.Set(parent with { Children = parent.Children.Remove(top.Name), ModificationTimeMs = _timeMs });
        var removed = Subtree(top);
        // Lineages keep the path a deleted input or output had; paths are read before any inode goes.
        foreach (var inode in removed)
            if (!keepLineage && _lineages.IsBound(inode.Id)) _lineages = _lineages.Unbind(inode.Id, PathOf(inode));
        foreach (var inode in removed)
        {
            _inodes.Remove(inode.Id);
            if (inode.IsDirectory) _directories--;
            else _files--;
            if (inode.HasTtl)
            {
                _ttl ??= _before.TtlInodes.ToBuilder();
                _ttl.Remove(inode.Id);
            }
        }
        return removed;
    }

    /// <summary>
    /// Records what the change leaves to do outside the namespace: the under-storage path to delete or move
    /// (null for none) and the blocks of removed files. Nothing is recorded when there is nothing to do, so
    /// deleting an in-memory-only empty file costs no second journal entry.
    /// </summary>
    private void AddCleanup(CleanupKind kind, string? path, string? destination, List<Inode> removed)
    {
        var blocks = ImmutableArray.CreateBuilder<long>();
        foreach (var inode in removed) blocks.AddRange(inode.BlockIds());
        if (path is null && blocks.Count == 0) return;
        _cleanup = new CleanupTask(_requestId, path is null ? CleanupKind.DropBlocks : kind, path, destination, blocks.ToImmutable());
    }

    /// <summary>
    /// Whether any of these inodes may have a copy in the under-storage: directories (made there by persisting a
    /// file below, or found there by a metadata sync), files persisted or being persisted, and files still
    /// being written through to it.
    /// </summary>
    private static bool MayBeInUnderStorage(List<Inode> inodes) => inodes.Exists(i =>
        i.IsDirectory ||
        i.PersistenceState is PersistenceState.Persisted or PersistenceState.ToBePersisted ||
        (!i.Completed && i.WriteType != WriteType.MustCache));

    private string PathOf(Inode inode)
    {
        var names = new Stack<string>();
        for (; inode.Id != Inode.RootId; inode = _inodes[inode.ParentId]) names.Push(inode.Name);
        return "/" + string.Join('/', names);
    }

    /// <summary>The inode and everything below it (an explicit stack: trees can be deep).</summary>
    private List<Inode> Subtree(Inode top)
    {
        var all = new List<Inode>();
        var stack = new Stack<Inode>();
        stack.Push(top);
        while (stack.Count > 0)
        {
            var inode = stack.Pop();
            all.Add(inode);
            foreach (var (_, childId) in inode.Children) stack.Push(_inodes[childId]);
        }
        return all;
    }
}
