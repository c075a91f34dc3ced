using System.Reflection;
using OrleansFs.Blocks;

namespace OrleansFs.Tests.Client;

/// <summary>
/// A block grain whose worker takes chunks and seals them (hashing what it got, as a worker does) until
/// <see cref="Dies"/>; from then on every call fails as a call to a dead silo does. Records the calls it gets.
/// </summary>
public class DeadWorkerBlock : DispatchProxy
{
    private readonly List<ulong> _chunkHashes = [];
    private long _length;

    public long BlockId { get; set; }
    public bool Dies { get; set; }
    public List<string> Calls { get; } = [];

    public static (IBlockGrain Grain, DeadWorkerBlock Block) Create(long blockId)
    {
        var grain = Create<IBlockGrain, DeadWorkerBlock>();
        var block = (DeadWorkerBlock)(object)grain;
        block.BlockId = blockId;
        return (grain, block);
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        lock (Calls) Calls.Add(method!.Name);
        if (Dies) return Failed(method.ReturnType);
        return method.Name switch
        {
            nameof(IBlockGrain.BeginWrite) => Task.FromResult(new BlockWriteTarget { HostId = "another-host" }),
            nameof(IBlockGrain.WriteChunk) => Written((ReadOnlyMemory<byte>)args![1]!),
            nameof(IBlockGrain.CompleteWrite) => Task.FromResult(new StoredBlockInfo
            {
                BlockId = BlockId,
                Length = _length,
                ContentHash = BlockSidecar.ContentHashOf(_chunkHashes.ToArray()),
            }),
            _ => Task.CompletedTask,
        };
    }

    private Task Written(ReadOnlyMemory<byte> chunk)
    {
        lock (_chunkHashes)
        {
            _chunkHashes.Add(BlockSidecar.Hash(chunk.Span));
            _length += chunk.Length;
        }
        return Task.CompletedTask;
    }

    private static Task Failed(Type returnType)
    {
        var failure = new SiloUnavailableException("the worker's silo died");
        var result = returnType.GetGenericArguments().FirstOrDefault();
        if (result is null) return Task.FromException(failure);
        var failed = typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!.MakeGenericMethod(result);
        return (Task)failed.Invoke(null, [failure])!;
    }
}
