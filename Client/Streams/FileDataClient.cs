using System.Runtime.CompilerServices;
using OrleansFs.Blocks;
using OrleansFs.Client.Retry;
using OrleansFs.Client.Streams.DataEndpoint;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Master;
using OrleansFs.Paths;

namespace OrleansFs.Client.Streams;

/// <summary>
/// The file-data half of the client: streams for writing and reading files, and the operations on cached
/// data (persist, free, load, pin, TTL, locations, worker statistics). <c>IFileSystem</c> builds on it.
/// Every change to the namespace (create, complete, TTL, pin, persistence marks) goes through the retry
/// pipeline with one request id for all its attempts; reads are retried only when a pipeline is given.
/// </summary>
public sealed class FileDataClient(IGrainFactory client, RetryPipeline? retry = null, DataConnectionPool? dataConnections = null)
{
    private readonly RetryPipeline _mutations = retry ?? RetryPipeline.Default;

    private IMasterGrain Master => client.GetGrain<IMasterGrain>(IMasterGrain.Key);
    private OrleansFs.Client.FileSystem.MetadataReads Reads => OrleansFs.Client.FileSystem.MetadataReads.For(client);

    /// <summary>
    /// Creates a file and returns a stream that writes it; disposing the stream completes the file. With
    /// <paramref name="shortCircuit"/>, blocks placed on a worker on this host are written straight into its tmpfs;
    /// with <paramref name="dataEndpoint"/>, other blocks are streamed to their worker's data endpoint rather
    /// than sent through grain calls.
    /// </summary>
    public async Task<FileOutStream> CreateFileAsync(string path, CreateFileOptions? options = null, CancellationToken cancellationToken = default,
        bool shortCircuit = true, bool dataEndpoint = true)
    {
        options ??= new CreateFileOptions();
        if (options.BlockSizeBytes <= 0)
            throw FsException.InvalidArgument(path, $"block size must be positive, not {options.BlockSizeBytes}");
        var requestId = Guid.NewGuid();
        var status = Reads.Observe(await _mutations.ExecuteAsync(path, () => Master.CreateFile(path, options, requestId), cancellationToken));
        return new FileOutStream(client, status, options.WriteType, shortCircuit, dataEndpoint, _mutations, dataConnections);
    }

    /// <summary>Opens a completed file for reading.</summary>
    public async Task<FileInStream> OpenFileAsync(string path, OpenFileOptions? options = null, CancellationToken cancellationToken = default)
    {
        var status = await ReadAsync(path, () => Reads.GetStatusAsync(path), cancellationToken);
        if (status.IsDirectory) throw FsException.IsADirectory(status.Path);
        if (!status.Completed) throw new FsException(FsErrorCode.FileIncomplete, status.Path, "file is still being written");
        if (status.PersistenceState == PersistenceState.Lost)
            throw new FsException(FsErrorCode.FileLost, status.Path, "file is LOST: its bytes were only in memory on a worker that is gone");
        return new FileInStream(client, status, options ?? new OpenFileOptions(), retry, dataConnections);
    }

    /// <summary>Persists a file, or every file under a directory, to the under-storage now.</summary>
    public async Task PersistAsync(string path, CancellationToken cancellationToken = default)
    {
        await foreach (var file in FilesAsync(path, cancellationToken))
        {
            if (file.PersistenceState == PersistenceState.Persisted) continue;
            Reads.Observe(await client.GetGrain<IPersistGrain>(file.InodeId).Persist(file.Path).WaitAsync(cancellationToken));
        }
    }

    /// <summary>Drops files' blocks from worker memory; refused for files not persisted or pinned.</summary>
    public async Task FreeAsync(string path, CancellationToken cancellationToken = default)
    {
        // Every file is checked before any is freed.
        var files = await FilesAsync(path, cancellationToken).ToListAsync(cancellationToken);
        foreach (var file in files)
        {
            if (file.Pinned) throw FsException.InvalidArgument(file.Path, "file is pinned; unpin it before freeing");
            if (file.PersistenceState != PersistenceState.Persisted)
                throw FsException.InvalidArgument(file.Path, "file is not persisted; freeing it would lose data (persist it first)");
        }
        foreach (var file in files)
            await Task.WhenAll(file.BlockIds.Select(id => client.GetGrain<IBlockGrain>(id).Free(file.Path))).WaitAsync(cancellationToken);
    }

    /// <summary>Loads files' blocks from the under-storage into worker memory.</summary>
    public async Task LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        await foreach (var file in FilesAsync(path, cancellationToken))
            foreach (var block in BlockRef.ForFile(file))
                await client.GetGrain<IBlockGrain>(block.BlockId).Locate(block, ReadType.Cache).WaitAsync(cancellationToken);
    }

    /// <summary>Pins (never evicted) or unpins a file or a directory tree.</summary>
    public async Task SetPinnedAsync(string path, bool pinned, CancellationToken cancellationToken = default)
    {
        var change = new SetAttributeOptions { Pinned = pinned, Recursive = true };
        var requestId = Guid.NewGuid();
        Reads.Observe(await _mutations.ExecuteAsync(path, () => Master.SetAttribute(path, change, requestId), cancellationToken));
        await foreach (var file in FilesAsync(path, cancellationToken))
            await Task.WhenAll(file.BlockIds.Select(id => client.GetGrain<IBlockGrain>(id).SetPinned(pinned))).WaitAsync(cancellationToken);
    }

    /// <summary>Sets a time to live (milliseconds from creation, -1 for none) and what happens when it runs out.</summary>
    public async Task<FileStatus> SetTtlAsync(string path, long ttlMs, TtlAction action, CancellationToken cancellationToken = default)
    {
        if (ttlMs < -1) throw FsException.InvalidArgument(path, $"TTL must be -1 (none) or at least 0, not {ttlMs}");
        var change = new SetAttributeOptions { TtlMs = ttlMs, TtlAction = action };
        var requestId = Guid.NewGuid();
        return Reads.Observe(await _mutations.ExecuteAsync(path, () => Master.SetAttribute(path, change, requestId), cancellationToken));
    }

    /// <summary>Where each block of a file is, without loading anything.</summary>
    public async Task<IReadOnlyList<BlockPlacementReport>> GetBlockLocationsAsync(string path, CancellationToken cancellationToken = default)
    {
        var status = await ReadAsync(path, () => Reads.GetStatusAsync(path), cancellationToken);
        if (status.IsDirectory) throw FsException.IsADirectory(status.Path);
        var blocks = BlockRef.ForFile(status);
        var locations = await Task.WhenAll(blocks.Select(b => client.GetGrain<IBlockGrain>(b.BlockId).GetLocation())).WaitAsync(cancellationToken);
        return blocks.Select((b, i) => new BlockPlacementReport(i, b, locations[i])).ToArray();
    }

    /// <summary>Where one block is (its silo, and its cached copy if any), without loading it.</summary>
    public Task<BlockLocation> LocateBlockAsync(BlockRef block, CancellationToken cancellationToken = default) =>
        client.GetGrain<IBlockGrain>(block.BlockId).GetLocation().WaitAsync(cancellationToken);

    /// <summary>
    /// Up to <paramref name="count"/> first bytes of a file, read from its first block without caching it (NoCache),
    /// so looking at a file does not change what is in memory.
    /// </summary>
    public async Task<byte[]> ReadHeadAsync(FileStatus file, int count, CancellationToken cancellationToken = default)
    {
        if (file.BlockIds.Count == 0 || file.Length == 0) return [];
        var first = BlockRef.ForFile(file)[0];
        int wanted = (int)Math.Min(Math.Min(count, first.Length), IBlockGrain.MaxReadBytes);
        return await client.GetGrain<IBlockGrain>(first.BlockId).Read(first, 0, wanted, ReadType.NoCache).WaitAsync(cancellationToken);
    }

    /// <summary>One silo's block store statistics, asked of the worker grain placed on it.</summary>
    public Task<WorkerStats> GetWorkerStatsAsync(SiloAddress silo, CancellationToken cancellationToken = default) =>
        client.GetGrain<IWorkerGrain>(IWorkerGrain.KeyFor(silo)).GetStats().WaitAsync(cancellationToken);

    /// <summary>One silo's recent rates and journal latency (the web interface's charts).</summary>
    public Task<OrleansFs.Metrics.MetricSeries> GetMetricSeriesAsync(SiloAddress silo, CancellationToken cancellationToken = default) =>
        client.GetGrain<IWorkerGrain>(IWorkerGrain.KeyFor(silo)).GetMetricSeries().WaitAsync(cancellationToken);

    /// <summary>Bytes of a file or tree, and how many of them are in worker memory.</summary>
    public async Task<(long Bytes, long InMemoryBytes)> GetUsageAsync(string path, CancellationToken cancellationToken = default)
    {
        long total = 0, inMemory = 0;
        await foreach (var file in FilesAsync(path, cancellationToken))
        {
            total += file.Length;
            var locations = await Task.WhenAll(file.BlockIds.Select(id => client.GetGrain<IBlockGrain>(id).GetLocation())).WaitAsync(cancellationToken);
            inMemory += locations.Sum(l => l.Stored?.Length ?? 0);
        }
        return (total, inMemory);
    }

    /// <summary>Every active worker's block store statistics.</summary>
    public async Task<IReadOnlyList<WorkerStats>> GetWorkerStatsAsync(CancellationToken cancellationToken = default)
    {
        var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(cancellationToken);
        var stats = await Task.WhenAll(hosts.Keys.Select(silo => client.GetGrain<IWorkerGrain>(IWorkerGrain.KeyFor(silo)).GetStats()));
        return stats.OrderBy(s => s.SiloAddress, StringComparer.Ordinal).ToArray();
    }

    private Task<T> ReadAsync<T>(string path, Func<Task<T>> call, CancellationToken cancellationToken) =>
        retry is null ? call().WaitAsync(cancellationToken) : retry.ExecuteAsync(path, call, cancellationToken);

    /// <summary>A file itself, or the completed files below a directory, page by page: a big tree is never one message nor held whole.</summary>
    private async IAsyncEnumerable<FileStatus> FilesAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        FsPath.Parse(path);
        var status = await ReadAsync(path, () => Reads.GetStatusAsync(path), cancellationToken);
        if (!status.IsDirectory)
        {
            yield return status;
            yield break;
        }
        string? token = null;
        do
        {
            var request = new ListingRequest { Recursive = true, StartAfter = token };
            var page = await ReadAsync(path, () => Reads.ListStatusPageAsync(path, request), cancellationToken);
            foreach (var entry in page.Entries)
                if (!entry.IsDirectory && entry.Completed) yield return entry;
            token = page.ContinuationToken;
        } while (token is not null);
    }
}
