using System.Diagnostics.Metrics;
using Orleans;
using OrleansFs.Master;
using OrleansFs.Metrics;

namespace OrleansFs.Silo.Web.Metrics;

/// <summary>
/// Counts file system operations where they are served: each call into the master activation on this
/// silo, tagged with its method. Monitoring calls (GetInfo, GetTakeovers) are not operations.
/// </summary>
public sealed class MasterCallMetricsFilter : IIncomingGrainCallFilter, IDisposable
{
    private readonly Meter _meter = new(MetricNames.Meter);
    private readonly Counter<long> _operations;

    public MasterCallMetricsFilter()
    {
        _operations = _meter.CreateCounter<long>(MetricNames.Operations, "{operation}", "File system operations served by the master");
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        if (context.InterfaceMethod?.DeclaringType == typeof(IMasterGrain) && IsOperation(context.MethodName))
        {
            _operations.Add(1, new KeyValuePair<string, object?>("operation", context.MethodName));
        }
    }

    private static bool IsOperation(string method) =>
        method is not (nameof(IMasterGrain.GetInfo) or nameof(IMasterGrain.GetTakeovers));

    public void Dispose() => _meter.Dispose();
}
