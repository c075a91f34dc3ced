using System.Reflection;
using OrleansFs.Blocks;
using OrleansFs.Errors;
using OrleansFs.Master;

namespace OrleansFs.Tests.Client;

/// <summary>
/// A grain factory for a file write: the (fake) master, one <see cref="DeadWorkerBlock"/> per block id, and a
/// persist grain that fails with <see cref="PersistFailure"/> when one is set. <see cref="KillWorkers"/> kills the
/// workers of the blocks so far; with <see cref="NewBlocksDie"/> those of later blocks are dead too.
/// </summary>
public class WriteGrainFactory : DispatchProxy
{
    private IGrainFactory _masterOnly = null!;

    public Dictionary<long, DeadWorkerBlock> Blocks { get; } = [];
    public FsException? PersistFailure { get; set; }
    public bool NewBlocksDie { get; set; }
    private Dictionary<long, IBlockGrain> BlockGrains { get; } = [];

    public static (IGrainFactory Factory, WriteGrainFactory Grains) Over(IMasterGrain master)
    {
        var factory = Create<IGrainFactory, WriteGrainFactory>();
        var grains = (WriteGrainFactory)(object)factory;
        grains._masterOnly = MasterOnlyGrainFactory.Over(master);
        return (factory, grains);
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        var grain = method!.Name == nameof(IGrainFactory.GetGrain) && method.IsGenericMethod ? method.GetGenericArguments()[0] : null;
        if (grain == typeof(IBlockGrain)) return Block((long)args![0]!);
        if (grain == typeof(IPersistGrain)) return new FailingPersist(PersistFailure);
        return method.Invoke(_masterOnly, args);
    }

    public void KillWorkers()
    {
        lock (Blocks) foreach (var block in Blocks.Values) block.Dies = true;
    }

    private IBlockGrain Block(long id)
    {
        lock (Blocks)
        {
            if (BlockGrains.TryGetValue(id, out var known)) return known;
            var (grain, block) = DeadWorkerBlock.Create(id);
            block.Dies = NewBlocksDie;
            BlockGrains[id] = grain;
            Blocks[id] = block;
            return grain;
        }
    }
}
