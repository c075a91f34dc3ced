using Microsoft.Win32.SafeHandles;
using OrleansFs.Blocks;
using OrleansFs.Client.Streams.DataEndpoint;

namespace OrleansFs.Client.Streams;

/// <summary>
/// One block of a <see cref="FileOutStream"/> between its BeginWrite and its seal: where its chunks go (a block file on
/// this host, a data endpoint's window, or the block's grain), how many bytes were sent, and the hash of each chunk, which
/// the sealed block must match. A block is sealed while the next one is already being written, so everything its seal
/// needs is here and nothing of it is shared with the stream.
/// </summary>
internal sealed class WritingBlock(IBlockGrain grain, long blockId, int index)
{
    public IBlockGrain Grain { get; } = grain;
    public long BlockId { get; } = blockId;
    public int Index { get; } = index;
    /// <summary>Set while the block's file is on this host and written directly (short-circuit write).</summary>
    public SafeFileHandle? Local { get; set; }
    /// <summary>The pipelined writer while the chunks go to a data endpoint; cleared when it proves unreachable.</summary>
    public EndpointBlockWriter? Endpoint { get; set; }
    /// <summary>True once the block began on a data endpoint: its seal may run behind the next block's writes.</summary>
    public bool StartedOnEndpoint { get; set; }
    public bool TokenRenewed { get; set; }
    public long Bytes { get; set; }
    public List<ulong> ChunkHashes { get; } = new();
    /// <summary>True once the worker stored it and its content hash matched.</summary>
    public bool Sealed { get; set; }
}
