using Microsoft.Extensions.Options;
using OrleansFs.Client.Streams;
using OrleansFs.Files;
using OrleansFs.Paths;
using OrleansFs.Silo.Web.Models;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Web.Data;

/// <summary>Browse, file details and in-memory files, read through the client core: the master and the block grains.</summary>
public sealed class NamespaceReader(MasterCalls master, BlockLocator blocks, FileDataClient data, IOptions<WebOptions> options)
{
    private const int LocateConcurrency = 16;

    /// <summary>
    /// One page (<see cref="WebOptions.BrowsePageSize"/> entries, after <paramref name="after"/>) of a directory; a file
    /// lists as itself, as `ls` does. Bad or missing paths, and a token the master refuses, throw <see cref="Errors.FsException"/>.
    /// </summary>
    public async Task<BrowseModel> BrowseAsync(string? path, string? after, CancellationToken cancellationToken)
    {
        var fsPath = FsPath.Parse(string.IsNullOrEmpty(path) ? "/" : path);
        after = string.IsNullOrEmpty(after) ? null : after;
        var status = await master.CallAsync((fs, ct) => fs.GetStatusAsync(fsPath.Value, ct), cancellationToken);
        var request = new ListingRequest { StartAfter = after, Limit = options.Value.BrowsePageSize };
        var page = status.IsDirectory
            ? await master.CallAsync((fs, ct) => fs.ListStatusPageAsync(fsPath.Value, request, ct), cancellationToken)
            : new ListingPage { Entries = [status] };
        var children = page.Entries;
        var entries = new List<EntryModel>(children.Count);
        foreach (var child in children.OrderBy(c => c.IsDirectory ? 0 : 1).ThenBy(c => c.Name, StringComparer.Ordinal))
        {
            entries.Add(await ToEntryAsync(child, cancellationToken));
        }
        string? parent = fsPath.IsRoot ? null : fsPath.Parent.Value;
        return new BrowseModel(fsPath.Value, parent, status.IsDirectory, entries, after, page.ContinuationToken);
    }

    public async Task<FileModel> FileAsync(string? path, CancellationToken cancellationToken)
    {
        var fsPath = FsPath.Parse(path);
        var status = await master.CallAsync((fs, ct) => fs.GetStatusAsync(fsPath.Value, ct), cancellationToken);
        if (status.IsDirectory) throw Errors.FsException.IsADirectory(fsPath.Value);
        var locations = await blocks.LocateAsync(status, cancellationToken);
        var (preview, previewError) = await ReadPreviewAsync(status, cancellationToken);
        return new FileModel
        {
            Entry = ToEntry(status, locations),
            BlockSizeBytes = status.BlockSizeBytes,
            CreationTime = status.CreationTime,
            WriteType = status.WriteType.ToString(),
            Blocks = ToBlocks(status, locations),
            BlockLocationsReported = locations is not null,
            Preview = preview,
            PreviewError = previewError,
        };
    }

    /// <summary>
    /// Files with bytes in memory among the next <see cref="WebOptions.MaxListedFiles"/> files of the namespace (after
    /// <paramref name="after"/>): a bounded scan, page by page, never the whole tree per request.
    /// </summary>
    public async Task<InMemoryModel> InMemoryAsync(string? after, CancellationToken cancellationToken)
    {
        after = string.IsNullOrEmpty(after) ? null : after;
        var (scanned, next) = await ScanFilesAsync(after, options.Value.MaxListedFiles, cancellationToken);
        var listed = scanned.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
        var entries = new EntryModel[listed.Length];
        // Each file is a round of block-grain calls; run a bounded number at once so a big namespace does not
        // take one network round trip per file in sequence.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = LocateConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, listed.Length), parallel, async (i, ct) =>
            entries[i] = ToEntry(listed[i], await blocks.LocateAsync(listed[i], ct)));
        var inMemory = entries.Where(e => e.InMemoryPercent > 0).ToList();
        return new InMemoryModel(inMemory, true, next is not null, after, next);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> files of the recursive listing of the root after <paramref name="after"/>, and the
    /// token to scan on from (null at the end). Each page asks for no more than the files still wanted, so the token
    /// never skips one; directories count against a bound of ten times the limit.
    /// </summary>
    private async Task<(List<FileStatus> Files, string? Next)> ScanFilesAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        var files = new List<FileStatus>();
        long scanned = 0, maxScanned = 10L * limit;
        string? token = after;
        do
        {
            var request = new ListingRequest { Recursive = true, StartAfter = token, Limit = Math.Min(limit - files.Count, ListingRequest.MaxLimit) };
            var page = await master.CallAsync((fs, ct) => fs.ListStatusPageAsync("/", request, ct), cancellationToken);
            files.AddRange(page.Entries.Where(e => !e.IsDirectory));
            scanned += page.Entries.Count;
            token = page.ContinuationToken;
        } while (token is not null && files.Count < limit && scanned < maxScanned);
        return (files, token);
    }

    private async Task<EntryModel> ToEntryAsync(FileStatus status, CancellationToken cancellationToken)
    {
        var locations = status.IsDirectory ? null : await blocks.LocateAsync(status, cancellationToken);
        return ToEntry(status, locations);
    }

    private static EntryModel ToEntry(FileStatus status, IReadOnlyList<BlockPlacementReport>? locations) => new()
    {
        Name = status.Name.Length == 0 ? "/" : status.Name,
        Path = status.Path,
        IsDirectory = status.IsDirectory,
        Length = status.Length,
        InMemoryPercent = InMemoryPercent(status, locations),
        PersistenceState = status.PersistenceState.ToString(),
        Pinned = status.Pinned,
        TtlMs = status.TtlMs,
        TtlAction = status.TtlAction.ToString(),
        Completed = status.Completed,
        ChildCount = status.ChildCount,
        LastModified = status.LastModificationTime,
    };

    private static int? InMemoryPercent(FileStatus status, IReadOnlyList<BlockPlacementReport>? locations)
    {
        if (status.IsDirectory || locations is null) return null;
        if (status.Length == 0) return 100;
        long inMemory = locations.Sum(l => Math.Min(BlockLocator.InMemoryBytesOf(l.Location), l.Block.Length));
        return (int)Math.Clamp(inMemory * 100 / status.Length, 0, 100);
    }

    private static IReadOnlyList<BlockModel> ToBlocks(FileStatus status, IReadOnlyList<BlockPlacementReport>? locations)
    {
        var byId = locations?.ToDictionary(l => l.Block.BlockId) ?? new Dictionary<long, BlockPlacementReport>();
        var blocks = new List<BlockModel>(status.BlockIds.Count);
        for (int i = 0; i < status.BlockIds.Count; i++)
        {
            long id = status.BlockIds[i];
            long length = Math.Clamp(status.Length - i * status.BlockSizeBytes, 0, status.BlockSizeBytes);
            blocks.Add(byId.TryGetValue(id, out var l)
                ? new BlockModel(i, id, l.Block.Length, BlockLocator.SilosOf(l.Location), BlockLocator.InMemoryBytesOf(l.Location) >= l.Block.Length)
                : new BlockModel(i, id, length, [], locations is null ? null : false));
        }
        return blocks;
    }

    private async Task<(PreviewModel?, string?)> ReadPreviewAsync(FileStatus status, CancellationToken cancellationToken)
    {
        if (!status.Completed) return (null, "the file is still being written");
        try
        {
            int count = options.Value.PreviewBytes;
            var bytes = await data.ReadHeadAsync(status, count, cancellationToken).WaitAsync(options.Value.GrainCallTimeout, cancellationToken);
            return (new PreviewModel(bytes, PreviewText.From(bytes), status.Length > bytes.Length), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, e.Message);
        }
    }
}
