using OrleansFs.Client.Metrics;
using OrleansFs.Files;

namespace OrleansFs.Client.Caching;

/// <summary>
/// The client's metadata cache, like Alluxio's <c>alluxio.user.metadata.cache</c> (opt-in through
/// <see cref="OrleansFsClientOptions.MetadataCacheMaxAge"/>): statuses and whole listings, each kept for at most the
/// maximum age. Other clients' changes show once an entry ages out; this client's own mutations drop what they may
/// have made stale (<see cref="Changed"/>, called by <see cref="MetadataCacheFilter"/> for every call to the master
/// that changes the namespace). A read that was in flight while such a mutation ended keeps nothing it read, so a stale
/// answer can never land in the cache after the mutation dropped it. Bounded in entries as well as in age.
/// </summary>
public sealed class MetadataCache
{
    /// <summary>Statuses held, a listing counting as its entries; past it the cache starts over.</summary>
    public const int MaxEntries = 100_000;
    /// <summary>A longer listing is not kept (it is streamed page by page and never held whole).</summary>
    public const int MaxListingEntries = 10_000;

    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private readonly Dictionary<string, Kept<FileStatus>> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Path, bool Recursive), Kept<IReadOnlyList<FileStatus>>> _listings = new();
    private long _version;
    private int _held;

    public MetadataCache(TimeSpan maxAge, TimeProvider? time = null)
    {
        if (maxAge <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(maxAge), maxAge, "the metadata cache needs a positive maximum age");
        _maxAge = maxAge;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The cache when <paramref name="options"/> turn it on, else null.</summary>
    public static MetadataCache? From(OrleansFsClientOptions options) =>
        options.MetadataCacheMaxAge > TimeSpan.Zero ? new MetadataCache(options.MetadataCacheMaxAge) : null;

    /// <summary>Taken before a read goes to the master and handed back with its answer (see the class remarks).</summary>
    public long Version
    {
        get { lock (_lock) return _version; }
    }

    /// <summary>How many statuses the cache holds now (listings counted by their entries).</summary>
    public int Count
    {
        get { lock (_lock) return _held; }
    }

    public bool TryGetStatus(string path, out FileStatus status)
    {
        lock (_lock) status = Fresh(_statuses, path)!;
        return Counted(status is not null, ClientMetrics.CacheKinds.Status);
    }

    public bool TryGetListing(string path, bool recursive, out IReadOnlyList<FileStatus> listing)
    {
        lock (_lock) listing = Fresh(_listings, (path, recursive))!;
        return Counted(listing is not null, ClientMetrics.CacheKinds.Listing);
    }

    public void AddStatus(string path, FileStatus status, long versionBefore)
    {
        lock (_lock)
        {
            if (versionBefore != _version || !Room(1)) return;
            Forget(_statuses, path);
            _statuses[path] = new Kept<FileStatus>(status, _time.GetTimestamp(), 1);
            _held++;
        }
    }

    public void AddListing(string path, bool recursive, IReadOnlyList<FileStatus> listing, long versionBefore)
    {
        int size = Math.Max(1, listing.Count);
        if (listing.Count > MaxListingEntries) return;
        lock (_lock)
        {
            if (versionBefore != _version || !Room(size)) return;
            Forget(_listings, (path, recursive));
            _listings[(path, recursive)] = new Kept<IReadOnlyList<FileStatus>>(listing, _time.GetTimestamp(), size);
            _held += size;
        }
    }

    /// <summary>
    /// A change at <paramref name="path"/> (made or attempted): drops its status and its ancestors' (a parent's child
    /// count and time change, and a recursive create may have made any of them a parent), every listing of it or an
    /// ancestor, and with <paramref name="subtree"/> (a delete, a rename, a recursive attribute) everything below it too.
    /// </summary>
    public void Changed(string path, bool subtree)
    {
        lock (_lock)
        {
            _version++;
            for (string? at = path; at is not null; at = Parent(at))
            {
                Forget(_statuses, at);
                Forget(_listings, (at, false));
                Forget(_listings, (at, true));
            }
            if (!subtree) return;
            string prefix = path.Length == 1 ? "/" : path + "/";
            foreach (string below in _statuses.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList()) Forget(_statuses, below);
            foreach (var below in _listings.Keys.Where(k => k.Path.StartsWith(prefix, StringComparison.Ordinal)).ToList()) Forget(_listings, below);
        }
    }

    /// <summary>Drops everything: a change whose reach the cache cannot tell (lineage calls).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _version++;
            _statuses.Clear();
            _listings.Clear();
            _held = 0;
        }
    }

    private T? Fresh<TKey, T>(Dictionary<TKey, Kept<T>> entries, TKey key) where TKey : notnull where T : class
    {
        if (!entries.TryGetValue(key, out var kept)) return null;
        if (_time.GetElapsedTime(kept.Since) < _maxAge) return kept.Value;
        Forget(entries, key);
        return null;
    }

    private void Forget<TKey, T>(Dictionary<TKey, Kept<T>> entries, TKey key) where TKey : notnull
    {
        if (entries.Remove(key, out var kept)) _held -= kept.Size;
    }

    /// <summary>Room for <paramref name="size"/> more: first by dropping what aged out, then by starting over.</summary>
    private bool Room(int size)
    {
        if (size > MaxEntries) return false;
        if (_held + size <= MaxEntries) return true;
        foreach (var key in _statuses.Where(e => _time.GetElapsedTime(e.Value.Since) >= _maxAge).Select(e => e.Key).ToList()) Forget(_statuses, key);
        foreach (var key in _listings.Where(e => _time.GetElapsedTime(e.Value.Since) >= _maxAge).Select(e => e.Key).ToList()) Forget(_listings, key);
        if (_held + size <= MaxEntries) return true;
        _statuses.Clear();
        _listings.Clear();
        _held = 0;
        return true;
    }

    private static bool Counted(bool hit, string kind)
    {
        ClientMetrics.MetadataCacheLookup(hit, kind);
        return hit;
    }

    private static string? Parent(string path)
    {
        if (path.Length == 1) return null;
        int slash = path.LastIndexOf('/');
        return slash == 0 ? "/" : path[..slash];
    }

    private readonly record struct Kept<T>(T Value, long Since, int Size);
}
