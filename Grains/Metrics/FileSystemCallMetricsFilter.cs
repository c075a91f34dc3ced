using OrleansFs.Blocks;
using OrleansFs.Master;
using OrleansFs.Metrics;

namespace OrleansFs.Grains.Metrics;

/// <summary>
/// Counts file system work served through grain calls on this silo: each call into the master activation,
/// tagged with its method (monitoring calls GetInfo/GetTakeovers are not operations), and the bytes block
/// grains return (<c>Read</c>) or take (<c>WriteChunk</c>, or the length a same-host client reports with
/// <c>CompleteLocalWrite</c> after writing the block file itself). Locating a block moves no bytes, so a read
/// over the data endpoint is counted once, by the endpoint.
/// </summary>
internal sealed class FileSystemCallMetricsFilter : IIncomingGrainCallFilter
{
    // Every grain call on the silo passes here: calls to other grains go straight through, without a state machine.
    public Task Invoke(IIncomingGrainCallContext context)
    {
        var declaring = context.InterfaceMethod?.DeclaringType;
        if (declaring == typeof(IMasterGrain)) return InvokeAndCountOperationAsync(context);
        if (declaring == typeof(IBlockGrain)) return InvokeAndCountBytesAsync(context);
        return context.Invoke();
    }

    private static async Task InvokeAndCountOperationAsync(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        CountOperation(context.MethodName);
    }

    private static async Task InvokeAndCountBytesAsync(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        CountBlockBytes(context);
    }

    private static void CountOperation(string method)
    {
        if (method is nameof(IMasterGrain.GetInfo) or nameof(IMasterGrain.GetTakeovers)) return;
        // The reads that carry a journal position are the same operations to an operator.
        method = method switch
        {
            nameof(IMasterGrain.ReadStatus) => nameof(IMasterGrain.GetStatus),
            nameof(IMasterGrain.ReadListing) => nameof(IMasterGrain.ListStatus),
            _ => method,
        };
        SiloInstruments.Operations.Add(1, new KeyValuePair<string, object?>("operation", method));
    }

    private static void CountBlockBytes(IIncomingGrainCallContext context)
    {
        switch (context.MethodName)
        {
            case nameof(IBlockGrain.WriteChunk) when context.Request.GetArgument(1) is ReadOnlyMemory<byte> written:
                SiloInstruments.Written(written.Length, MetricNames.Via.Grain);
                break;
            case nameof(IBlockGrain.CompleteLocalWrite) when context.Request.GetArgument(0) is long length:
                SiloInstruments.Written(length, MetricNames.Via.ShortCircuit);
                break;
            case nameof(IBlockGrain.Read) when context.Result is byte[] read:
                SiloInstruments.Read(read.Length, MetricNames.Via.Grain);
                break;
        }
    }
}
