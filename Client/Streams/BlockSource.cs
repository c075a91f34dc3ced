using Microsoft.Win32.SafeHandles;
using OrleansFs.Blocks;

namespace OrleansFs.Client.Streams;

/// <summary>How a reader gets one block's bytes: a block file on this machine's tmpfs, or its grain.</summary>
internal sealed class BlockSource : IDisposable
{
    private BlockSource(BlockRef block, SafeFileHandle? file, BlockSidecar? sidecar)
    {
        Block = block;
        File = file;
        Sidecar = sidecar;
    }

    public BlockRef Block { get; }
    public SafeFileHandle? File { get; private set; }
    public BlockSidecar? Sidecar { get; }
    public bool IsLocal => File is not null;

    public static BlockSource Remote(BlockRef block) => new(block, null, null);

    /// <summary>A local source when the worker's block file is on this host and readable, else remote.</summary>
    public static BlockSource For(BlockRef block, BlockLocation location)
    {
        if (location.Stored is not { } stored || location.HostId != HostIdentity.Current) return Remote(block);
        var sidecar = BlockSidecar.TryLoad(stored.MetaPath);
        if (sidecar is null || sidecar.Length != block.Length || sidecar.BlockId != block.BlockId) return Remote(block);
        try
        {
            var file = System.IO.File.OpenHandle(stored.DataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new BlockSource(block, file, sidecar);
        }
        catch (IOException) { return Remote(block); }
        catch (UnauthorizedAccessException) { return Remote(block); }
    }

    public void Dispose()
    {
        File?.Dispose();
        File = null;
    }
}
