using System.Diagnostics.Metrics;
using Orleans;
using OrleansFs.Blocks;
using OrleansFs.Master;
using OrleansFs.Metrics;

namespace OrleansFs.Silo.Web.Metrics;

/// <summary>
/// Counts file system work where it is served on this silo: each call into the master activation, tagged
/// with its method (monitoring calls GetInfo/GetTakeovers are not operations), and the bytes that block
/// grains write (chunks, or the length of a same-host short-circuit write) and read. Reads a client short-circuits from a local tmpfs never reach a grain and are not
/// counted here.
/// </summary>
public sealed class FileSystemCallMetricsFilter : IIncomingGrainCallFilter, IDisposable
{
    private readonly Meter _meter = new(MetricNames.Meter);
    private readonly Counter<long> _operations;
    private readonly Counter<long> _bytesRead;
    private readonly Counter<long> _bytesWritten;

    public FileSystemCallMetricsFilter()
    {
        _operations = _meter.CreateCounter<long>(MetricNames.Operations, "{operation}", "File system operations served by the master");
        _bytesRead = _meter.CreateCounter<long>(MetricNames.BytesRead, "By", "Block bytes read through block grains");
        _bytesWritten = _meter.CreateCounter<long>(MetricNames.BytesWritten, "By", "Block bytes written through block grains");
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        var declaring = context.InterfaceMethod?.DeclaringType;
        if (declaring == typeof(IMasterGrain)) CountOperation(context.MethodName);
        else if (declaring == typeof(IBlockGrain)) CountBlockBytes(context);
    }

    private void CountOperation(string method)
    {
        if (method is nameof(IMasterGrain.GetInfo) or nameof(IMasterGrain.GetTakeovers)) return;
        _operations.Add(1, new KeyValuePair<string, object?>("operation", method));
    }

    private void CountBlockBytes(IIncomingGrainCallContext context)
    {
        switch (context.MethodName)
        {
            case nameof(IBlockGrain.WriteChunk) when context.Request.GetArgument(1) is ReadOnlyMemory<byte> written:
                _bytesWritten.Add(written.Length);
                break;
            // A same-host client writes the block file itself and reports only the length.
            case nameof(IBlockGrain.CompleteLocalWrite) when context.Request.GetArgument(0) is long length:
                _bytesWritten.Add(length);
                break;
            case nameof(IBlockGrain.Read) when context.Result is byte[] read:
                _bytesRead.Add(read.Length);
                break;
        }
    }

    public void Dispose() => _meter.Dispose();
}
