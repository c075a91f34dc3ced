using System.Collections.Immutable;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Lineage.Records;
using OrleansFs.Grains.Master.Checkpoints;
using OrleansFs.Grains.Master.Entries;
using OrleansFs.Grains.Master.Inodes;
using OrleansFs.Grains.Master.Listing;
using OrleansFs.Grains.Master.Retry;
using OrleansFs.Lineage;
using OrleansFs.Paths;

namespace OrleansFs.Grains.Master.State;

/// <summary>
/// Applies master entries to the state and answers queries. The live master and journal replay both call
/// <see cref="Apply"/>, so replay rebuilds exactly what the live master had. A failed entry throws an
/// <see cref="FsException"/> and leaves <see cref="State"/> as it was: every change is built on an editor
/// of the immutable state and only published at the end. Single-threaded: the grain calls it in its turns.
/// </summary>
public sealed class MasterStateMachine
{
    private readonly long _retryWindowMs;
    private readonly int _retryMaxEntries;

    public MasterStateMachine(MasterState state, RetryCache retry, TimeSpan retryWindow, int retryMaxEntries)
    {
        State = state;
        Retry = retry;
        _retryWindowMs = (long)retryWindow.TotalMilliseconds;
        _retryMaxEntries = retryMaxEntries;
    }

    /// <summary>An empty namespace, with the retry cache sized by <paramref name="options"/>.</summary>
    public static MasterStateMachine Empty(MasterOptions options) => Create(MasterState.Empty, new RetryCache(), options);

    /// <summary>The namespace a checkpoint holds (the master's recovery and the warm standby both start here).</summary>
    public static MasterStateMachine Load(Stream checkpoint, MasterOptions options, CancellationToken cancellationToken)
    {
        var (state, retry) = CheckpointCodec.Read(checkpoint, cancellationToken);
        return Create(state, retry, options);
    }

    private static MasterStateMachine Create(MasterState state, RetryCache retry, MasterOptions options) =>
        new(state, retry, options.RetryCacheWindow, options.RetryCacheMaxEntries);

    public MasterState State { get; private set; }
    public RetryCache Retry { get; }

    /// <summary>The first result of a request applied within the retry window before <paramref name="nowMs"/>.</summary>
    public bool TryGetRetry(Guid requestId, long nowMs, out CachedResult result) =>
        Retry.TryGet(requestId, nowMs, _retryWindowMs, out result);

    /// <summary>
    /// Applies one journal record (recovery and the warm standby). A record that does not decode or apply means
    /// the journal and the code disagree: <see cref="FsErrorCode.JournalCorrupt"/> naming the record.
    /// </summary>
    public void Replay(JournalRecord record)
    {
        MasterEntry entry;
        try
        {
            entry = MasterEntryCodec.Decode(record.Type, record.Payload.Span);
        }
        catch (InvalidDataException error)
        {
            throw new FsException(FsErrorCode.JournalCorrupt, null, $"journal record {record.Sequence} (type {record.Type}) cannot be decoded: {error.Message}");
        }
        try
        {
            Apply(entry);
        }
        catch (FsException error)
        {
            // A journaled mutation succeeded when it was applied live; failing now means the journal and the code disagree.
            throw new FsException(FsErrorCode.JournalCorrupt, null,
                $"journal record {record.Sequence} ({entry.Type} {entry.Describe()}) does not replay: {error.Message}");
        }
    }

    /// <summary>Applies one entry; throws <see cref="FsException"/> (changing nothing) when the mutation is refused.</summary>
    public CachedResult Apply(MasterEntry entry)
    {
        if (entry is TakeoverEntry takeover)
        {
            State = ApplyTakeover(State, takeover);
            return CachedResult.Success(null);
        }
        if (entry is CleanupDoneEntry done)
        {
            State = ApplyCleanupDone(State, done);
            return CachedResult.Success(null);
        }
        var (next, result) = entry is OperationFailedEntry failed
            ? (State, CachedResult.Failure(failed.Code, failed.ErrorPath, failed.Reason))
            : Execute(entry);
        State = next;
        Retry.Add(new RetryCacheEntry(entry.RequestId, entry.TimeMs, result), _retryWindowMs, _retryMaxEntries);
        return result;
    }

    private (MasterState, CachedResult) Execute(MasterEntry entry)
    {
        var change = new NamespaceChange(State, entry.TimeMs, entry.RequestId);
        var result = entry switch
        {
            CreateDirectoryEntry e => change.CreateDirectory(FsPath.Parse(e.Path), e.Recursive),
            CreateFileEntry e => change.CreateFile(FsPath.Parse(e.Path), e),
            CompleteFileEntry e => change.CompleteFile(FsPath.Parse(e.Path), e.Length),
            DeleteEntry e => change.Delete(FsPath.Parse(e.Path), e.Recursive),
            RenameEntry e => change.Rename(FsPath.Parse(e.Source), FsPath.Parse(e.Destination)),
            SetAttributeEntry e => change.SetAttribute(FsPath.Parse(e.Path), e),
            LoadMetadataEntry e => change.LoadMetadata(FsPath.Parse(e.Directory), e),
            CreateLineageEntry e => change.CreateLineage(e),
            DeleteLineageEntry e => change.DeleteLineage(e.LineageId, e.Cascade),
            LineageRunEntry e => change.RecordLineageRun(e.LineageId, e.Run),
            LineageChecksumEntry e => change.RecordLineageChecksum(e.LineageId, FsPath.Parse(e.Path), e.Checksum),
            _ => throw new InvalidOperationException($"entry type {entry.Type} is not a namespace mutation"),
        };
        return (change.ToState(), result);
    }

    private static MasterState ApplyTakeover(MasterState state, TakeoverEntry entry)
    {
        var takeovers = state.Takeovers.Add(entry.ToTakeover());
        if (takeovers.Count > MasterState.MaxTakeovers) takeovers = takeovers.RemoveRange(0, takeovers.Count - MasterState.MaxTakeovers);
        var inodes = state.Inodes;
        if (state.Root.CreationTimeMs == 0)
        {
            // The very first master dates the root, through the journal, so replay dates it the same.
            var editor = inodes.Edit();
            editor.Set(state.Root with { CreationTimeMs = entry.TimeMs, ModificationTimeMs = entry.TimeMs });
            inodes = editor.ToMap();
        }
        return state with { Takeovers = takeovers, Inodes = inodes };
    }

    private static MasterState ApplyCleanupDone(MasterState state, CleanupDoneEntry entry)
    {
        // Ids not (or no longer) pending are ignored: a task may be reported done twice around a failover.
        var done = entry.TaskIds.ToHashSet();
        return state with { Cleanups = state.Cleanups.RemoveAll(task => done.Contains(task.Id)) };
    }

    // ---- queries ----

    public FileStatus GetStatus(string path)
    {
        var parsed = FsPath.Parse(path);
        var inode = PathResolver.Resolve(State.Inodes, parsed, out _, out _) ?? throw FsException.NotFound(parsed.Value);
        return StatusOf(inode, parsed.Value);
    }

    /// <summary>An inode's status, naming the lineage whose output it is.</summary>
    private FileStatus StatusOf(Inode inode, string path)
    {
        var status = inode.ToStatus(path);
        return State.Lineages.ProducerOf(inode.Id) is { } lineage ? status with { LineageId = lineage } : status;
    }

    public IReadOnlyList<FileStatus> ListStatus(string path, bool recursive)
    {
        var parsed = FsPath.Parse(path);
        var inodes = State.Inodes;
        var inode = PathResolver.Resolve(inodes, parsed, out _, out _) ?? throw FsException.NotFound(parsed.Value);
        if (!inode.IsDirectory) return [StatusOf(inode, parsed.Value)];
        var result = new List<FileStatus>(inode.Children.Count);
        // Depth-first, children in name order, each directory followed by its contents.
        var stack = new Stack<(Inode Inode, string Path)>();
        PushChildren(stack, inodes, inode, parsed.Value);
        while (stack.Count > 0)
        {
            var (child, childPath) = stack.Pop();
            result.Add(StatusOf(child, childPath));
            if (recursive && child.IsDirectory) PushChildren(stack, inodes, child, childPath);
        }
        return result;
    }

    /// <summary>
    /// One page of <see cref="ListStatus"/> (see <see cref="ListingPager"/>); a file lists itself. A bad token or limit
    /// is InvalidArgument; a token whose directory is gone or replaced is NotFound. The journal sequence is the caller's.
    /// </summary>
    public ListingPage ListStatusPage(string path, ListingRequest request)
    {
        var parsed = FsPath.Parse(path);
        ArgumentNullException.ThrowIfNull(request);
        ListingPager.CheckLimit(request.Limit, parsed.Value);
        ListingToken? resume = request.StartAfter is null ? null : ListingToken.Decode(request.StartAfter, parsed.Value, request.Recursive);
        var inodes = State.Inodes;
        var inode = PathResolver.Resolve(inodes, parsed, out _, out _);
        if (resume is { } token) ListingPager.CheckSameDirectory(inode, parsed.Value, token);
        if (inode is null) throw FsException.NotFound(parsed.Value);
        if (!inode.IsDirectory) return new ListingPage { Entries = [StatusOf(inode, parsed.Value)] };
        return ListingPager.Page(inodes, inode, parsed.Value, resume, request.Recursive, request.Limit, StatusOf);
    }

    private static void PushChildren(Stack<(Inode, string)> stack, InodeMap inodes, Inode directory, string path)
    {
        string prefix = path.Length == 1 ? "/" : path + "/";
        foreach (var (name, id) in directory.Children.Reverse())
            stack.Push((inodes[id], prefix + name));
    }

    public LineageInfo? GetLineage(long id) => State.Lineages.Get(id) is { } record ? ToInfo(record) : null;

    public IReadOnlyList<LineageInfo> ListLineages() => State.Lineages.Lineages.Values.Select(ToInfo).ToList();

    /// <summary>The lineage whose output the file at <paramref name="path"/> is, or null; NotFound when there is no such file.</summary>
    public LineageInfo? GetLineageOfFile(string path)
    {
        var parsed = FsPath.Parse(path);
        var inode = PathResolver.Resolve(State.Inodes, parsed, out _, out _) ?? throw FsException.NotFound(parsed.Value);
        return State.Lineages.ProducerOf(inode.Id) is { } id ? GetLineage(id) : null;
    }

    private LineageInfo ToInfo(LineageRecord record) => record.ToInfo(State.Lineages, State.Inodes.Get, PathOf);

    /// <summary>The current path of an inode, or null if it no longer exists.</summary>
    public string? PathOf(long inodeId)
    {
        var inodes = State.Inodes;
        var inode = inodes.Get(inodeId);
        if (inode is null) return null;
        if (inode.Id == Inode.RootId) return "/";
        var names = new List<string>();
        while (inode.Id != Inode.RootId)
        {
            names.Add(inode.Name);
            inode = inodes[inode.ParentId];
        }
        names.Reverse();
        return "/" + string.Join('/', names);
    }

    /// <summary>Inodes whose TTL ran out at or before <paramref name="nowMs"/>, with their paths.</summary>
    public IReadOnlyList<(Inode Inode, string Path)> ExpiredTtl(long nowMs)
    {
        var expired = new List<(Inode, string)>();
        foreach (long id in State.TtlInodes)
        {
            var inode = State.Inodes.Get(id);
            if (inode is { HasTtl: true } && inode.TtlExpiryMs <= nowMs && PathOf(id) is { } path)
                expired.Add((inode, path));
        }
        return expired;
    }
}
