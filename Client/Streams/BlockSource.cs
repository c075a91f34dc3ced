using Microsoft.Win32.SafeHandles;
using OrleansFs.Blocks;
using OrleansFs.Client.Streams.DataEndpoint;

namespace OrleansFs.Client.Streams;

/// <summary>
/// How a reader gets one block's bytes: a block file on this machine's tmpfs, the data endpoint of the worker
/// that caches it, or its grain.
/// </summary>
internal sealed class BlockSource : IDisposable
{
    // The stamp the worker verified the local block file under, while the file still has it: reads skip hashing.
    private BlockFileStamp? _trusted;

    private BlockSource(BlockRef block, SafeFileHandle? file, BlockSidecar? sidecar, EndpointAccess? endpoint = null, BlockFileStamp? trusted = null)
    {
        Block = block;
        File = file;
        Sidecar = sidecar;
        Endpoint = endpoint;
        _trusted = trusted;
    }

    /// <summary>
    /// Reads the local block file at <paramref name="offset"/>: without hashing while the file is as its worker verified
    /// it, else checked chunk by chunk against the sidecar (a mismatch throws).
    /// </summary>
    public int ReadLocal(long offset, Span<byte> destination) =>
        VerifiedBlockReader.Read(File!, Sidecar!, offset, destination, ref _trusted).Count;

    public BlockRef Block { get; }
    public SafeFileHandle? File { get; private set; }
    public BlockSidecar? Sidecar { get; }
    public bool IsLocal => File is not null;
    /// <summary>The data endpoint to stream the block from, with a read token; null to read it through the grain.</summary>
    public EndpointAccess? Endpoint { get; }

    public static BlockSource Remote(BlockRef block) => new(block, null, null);

    /// <summary>
    /// A local source when the worker's block file is on this host and readable (and short-circuit is on),
    /// else the worker's data endpoint when the block is cached there (and endpoints are on), else the grain.
    /// </summary>
    public static BlockSource For(BlockRef block, BlockLocation location, bool shortCircuit, bool dataEndpoint)
    {
        if (location.Stored is null) return Remote(block);
        if (shortCircuit && TryLocal(block, location) is { } local) return local;
        return dataEndpoint && location.DataEndpoint != ""
            ? new BlockSource(block, null, null, new EndpointAccess(location.DataEndpoint, location.DataEndpointTls, location.ReadToken))
            : Remote(block);
    }

    private static BlockSource? TryLocal(BlockRef block, BlockLocation location)
    {
        var stored = location.Stored!;
        if (location.HostId != HostIdentity.Current) return null;
        var sidecar = BlockSidecar.TryLoad(stored.MetaPath);
        if (sidecar is null || sidecar.Length != block.Length || sidecar.BlockId != block.BlockId) return null;
        try
        {
            var file = System.IO.File.OpenHandle(stored.DataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new BlockSource(block, file, sidecar, trusted: stored.VerifiedStamp);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public void Dispose()
    {
        File?.Dispose();
        File = null;
    }
}
