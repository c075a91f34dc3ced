using System.Runtime.CompilerServices;
using OrleansFs.Client.Caching;
using OrleansFs.Client.Retry;
using OrleansFs.Client.Cluster;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.Master;
using OrleansFs.Paths;

namespace OrleansFs.Client.FileSystem;

/// <summary>
/// <see cref="IFileSystem"/> over an Orleans grain factory (a cluster client, or a silo's own factory):
/// validate, then call the master through the retry pipeline. Reads go through <see cref="MetadataReads"/>
/// (a warm standby may answer them); every answer raises the client's journal position. With a
/// <see cref="MetadataCache"/>, statuses and listings are answered from it while fresh (its
/// <see cref="MetadataCacheFilter"/> drops what mutations change).
/// </summary>
public sealed class OrleansFileSystem(IGrainFactory cluster, RetryPipeline retry, MetadataCache? cache = null,
    int listingPageSize = ListingRequest.DefaultLimit) : IFileSystem
{
    private IMasterGrain Master => cluster.GetGrain<IMasterGrain>(IMasterGrain.Key);
    private MetadataReads? _reads;
    private MetadataReads Reads => _reads ??= MetadataReads.For(cluster);

    private async Task<FileStatus> Observed(Task<FileStatus> mutation) => Reads.Observe(await mutation);

    public Task<FileStatus> CreateDirectoryAsync(string path, bool recursive = false, CancellationToken cancellationToken = default)
    {
        string p = Check(path);
        var requestId = Guid.NewGuid();
        return Observed(retry.ExecuteAsync(p, () => Master.CreateDirectory(p, recursive, requestId), cancellationToken));
    }

    public Task<FileStatus> CreateFileEntryAsync(string path, CreateFileOptions? options = null, CancellationToken cancellationToken = default)
    {
        string p = Check(path);
        options ??= new CreateFileOptions();
        if (options.BlockSizeBytes <= 0)
            throw FsException.InvalidArgument(p, $"block size {options.BlockSizeBytes} must be positive");
        var requestId = Guid.NewGuid();
        return Observed(retry.ExecuteAsync(p, () => Master.CreateFile(p, options, requestId), cancellationToken));
    }

    public Task<FileStatus> CompleteFileAsync(string path, long length, CancellationToken cancellationToken = default)
    {
        string p = Check(path);
        if (length < 0) throw FsException.InvalidArgument(p, $"length {length} must not be negative");
        var requestId = Guid.NewGuid();
        return Observed(retry.ExecuteAsync(p, () => Master.CompleteFile(p, length, requestId), cancellationToken));
    }

    public Task<FileStatus> GetStatusAsync(string path, CancellationToken cancellationToken = default)
    {
        string p = Check(path);
        if (cache is null) return retry.ExecuteAsync(p, static s => s.Reads.GetStatusAsync(s.Path), (Reads, Path: p), cancellationToken);
        return cache.TryGetStatus(p, out var cached) ? Task.FromResult(cached) : GetAndKeepStatusAsync(p, cache, cancellationToken);
    }

    private async Task<FileStatus> GetAndKeepStatusAsync(string path, MetadataCache cache, CancellationToken cancellationToken)
    {
        long version = cache.Version;
        var status = await retry.ExecuteAsync(path, () => Reads.GetStatusAsync(path), cancellationToken);
        cache.AddStatus(path, status, version);
        return status;
    }

    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default)
    {
        string p = Check(path);
        if (cache is not null && cache.TryGetStatus(p, out _)) return true;
        long version = cache?.Version ?? 0;
        var status = await retry.ExecuteAsync(p, () => Reads.TryGetStatusAsync(p), cancellationToken);
        if (status is not null) cache?.AddStatus(p, status, version);
        return status is not null;
    }

    public Task<IReadOnlyList<FileStatus>> ListStatusAsync(string path, bool recursive = false, CancellationToken cancellationToken = default)
    {
        string p = Check(path);
        return GatherAsync(p, recursive, cancellationToken);
    }

    private async Task<IReadOnlyList<FileStatus>> GatherAsync(string path, bool recursive, CancellationToken cancellationToken)
    {
        var all = new List<FileStatus>();
        await foreach (var status in EnumerateStatusAsync(path, recursive, cancellationToken)) all.Add(status);
        return all;
    }

    public async IAsyncEnumerable<FileStatus> EnumerateStatusAsync(string path, bool recursive = false,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string p = Check(path);
        if (cache is not null && cache.TryGetListing(p, recursive, out var cached))
        {
            foreach (var status in cached) yield return status;
            yield break;
        }
        long version = cache?.Version ?? 0;
        // Kept for the cache only while it stays small enough to be kept at all.
        var kept = cache is null ? null : new List<FileStatus>();
        string? token = null;
        do
        {
            var request = new ListingRequest { Recursive = recursive, StartAfter = token, Limit = listingPageSize };
            var page = await retry.ExecuteAsync(p, () => Reads.ListStatusPageAsync(p, request), cancellationToken);
            if (kept is not null && kept.Count + page.Entries.Count <= MetadataCache.MaxListingEntries) kept.AddRange(page.Entries);
            else kept = null;
            foreach (var status in page.Entries) yield return status;
            token = page.ContinuationToken;
        } while (token is not null);
        if (kept is not null) cache!.AddListing(p, recursive, kept, version);
    }

    public Task<ListingPage> ListStatusPageAsync(string path, ListingRequest request, CancellationToken cancellationToken = default)
    {
        string p = Check(path);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Limit is < 1 or > ListingRequest.MaxLimit)
            throw FsException.InvalidArgument(p, $"a listing page holds 1 to {ListingRequest.MaxLimit} entries, not {request.Limit}");
        return retry.ExecuteAsync(p, () => Reads.ListStatusPageAsync(p, request), cancellationToken);
    }

    public async Task DeleteAsync(string path, bool recursive = false, CancellationToken cancellationToken = default)
    {
        string p = Check(path);
        if (p == FsPath.Root.Value) throw FsException.InvalidArgument(p, "the root directory cannot be deleted");
        var requestId = Guid.NewGuid();
        Reads.Observe(await retry.ExecuteAsync(p, () => Master.Delete(p, recursive, requestId), cancellationToken));
    }

    public async Task RenameAsync(string source, string destination, CancellationToken cancellationToken = default)
    {
        var from = FsPath.Parse(source);
        var to = FsPath.Parse(destination);
        if (from.IsRoot) throw FsException.InvalidArgument(from.Value, "the root directory cannot be renamed");
        if (from != to && from.IsAncestorOrSelfOf(to))
            throw FsException.InvalidArgument(to.Value, $"cannot move {from} into its own subtree");
        var requestId = Guid.NewGuid();
        Reads.Observe(await retry.ExecuteAsync(from.Value, () => Master.Rename(from.Value, to.Value, requestId), cancellationToken));
    }

    public Task<FileStatus> SetAttributeAsync(string path, SetAttributeOptions options, CancellationToken cancellationToken = default)
    {
        string p = Check(path);
        ArgumentNullException.ThrowIfNull(options);
        var requestId = Guid.NewGuid();
        return Observed(retry.ExecuteAsync(p, () => Master.SetAttribute(p, options, requestId), cancellationToken));
    }

    public Task<MasterInfo> GetMasterInfoAsync(CancellationToken cancellationToken = default) =>
        retry.ExecuteAsync(null, () => Master.GetInfo(), cancellationToken);

    public Task<IReadOnlyList<MasterTakeover>> GetTakeoversAsync(CancellationToken cancellationToken = default) =>
        retry.ExecuteAsync(null, () => Master.GetTakeovers(), cancellationToken);

    public Task<IReadOnlyList<SiloMember>> GetClusterMembersAsync(CancellationToken cancellationToken = default) =>
        retry.ExecuteAsync(null, ReadMembersAsync, cancellationToken);

    private async Task<IReadOnlyList<SiloMember>> ReadMembersAsync()
    {
        var hosts = await cluster.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        return hosts.OrderBy(h => h.SiloAddress.Endpoint.ToString(), StringComparer.Ordinal).Select(ToMember).ToList();
    }

    private static SiloMember ToMember(MembershipEntry entry) => new()
    {
        Address = entry.SiloAddress.Endpoint.ToString(),
        Status = entry.Status.ToString(),
        SiloName = entry.SiloName ?? "",
        HostName = entry.HostName ?? "",
        GatewayPort = entry.ProxyPort,
        StartTime = new DateTimeOffset(DateTime.SpecifyKind(entry.StartTime, DateTimeKind.Utc)),
        LastHeartbeat = new DateTimeOffset(DateTime.SpecifyKind(entry.IAmAliveTime, DateTimeKind.Utc)),
    };

    public async Task<long> CreateLineageAsync(IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, LineageJob job,
        bool run = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(job);
        if (outputs.Count == 0) throw FsException.InvalidArgument(null, "a lineage needs at least one output");
        var request = new CreateLineageRequest
        {
            Inputs = inputs.Select(Check).ToArray(),
            Outputs = outputs.Select(Check).ToArray(),
            Job = job,
            Run = run,
        };
        var requestId = Guid.NewGuid();
        var lineage = await retry.ExecuteAsync(request.Outputs[0], () => Master.CreateLineage(request, requestId), cancellationToken);
        await ObserveMasterAsync(cancellationToken);
        return lineage.Id;
    }

    /// <summary>
    /// A lineage call changes files without answering a journal position; the master's position right after it covers
    /// the change, so this client's next reads (from a standby too) see the outputs it just created or unbound.
    /// </summary>
    private async Task ObserveMasterAsync(CancellationToken cancellationToken)
    {
        var info = await retry.ExecuteAsync(null, () => Master.GetInfo(), cancellationToken);
        Reads.Observe(new JournalPosition(info.Epoch, info.JournalSequence));
    }

    public async Task<LineageInfo> GetLineageAsync(long id, CancellationToken cancellationToken = default) =>
        await retry.ExecuteAsync(null, () => Master.GetLineage(id), cancellationToken) ?? throw NoLineage(id);

    public Task<IReadOnlyList<LineageInfo>> ListLineagesAsync(CancellationToken cancellationToken = default) =>
        retry.ExecuteAsync(null, () => Master.ListLineages(), cancellationToken);

    public Task<LineageInfo?> GetLineageOfFileAsync(string path, CancellationToken cancellationToken = default)
    {
        string p = Check(path);
        return retry.ExecuteAsync(p, () => Master.GetLineageOfFile(p), cancellationToken);
    }

    public async Task DeleteLineageAsync(long id, bool cascade = false, CancellationToken cancellationToken = default)
    {
        var requestId = Guid.NewGuid();
        await retry.ExecuteAsync(null, () => Master.DeleteLineage(id, cascade, requestId), cancellationToken);
        await ObserveMasterAsync(cancellationToken);
    }

    private static FsException NoLineage(long id) => new(FsErrorCode.NotFound, null, $"no lineage {id}");

    /// <summary>Validates and normalizes (a trailing '/' is dropped) before anything leaves the process.</summary>
    private static string Check(string path) => FsPath.Parse(path).Value;
}
