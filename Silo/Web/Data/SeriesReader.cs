using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using OrleansFs.Client.Cluster;
using OrleansFs.Client.Streams;
using OrleansFs.Metrics;
using OrleansFs.Silo.Web.Models;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Web.Data;

/// <summary>
/// The charts' series for the whole cluster: asks every active silo for its ring of samples (one grain call
/// each, in parallel, bounded by <see cref="WebOptions.GrainCallTimeout"/>) and lines them up on their shared
/// time grid. Operations and bytes are summed (the master's silo serves the operations, every silo moves
/// bytes); journal latency is the slowest silo's (only the master's silo flushes); live silos the most any
/// silo saw.
/// </summary>
public sealed partial class SeriesReader(ClusterQueries cluster, FileDataClient data, IOptions<WebOptions> options, ILogger<SeriesReader> logger)
{
    public const string Operations = "operations";
    public const string Bytes = "bytes";
    public const string Journal = "journal";
    public const string Silos = "silos";

    public async Task<SeriesModel> ReadAsync(CancellationToken cancellationToken)
    {
        var silos = await cluster.GetActiveSilosAsync(cancellationToken);
        var answers = await Task.WhenAll(silos.Select(s => AskAsync(s, cancellationToken)));
        var series = answers.Where(a => a.Series is not null).Select(a => a.Series!).ToList();
        var missing = answers.Where(a => a.Series is null).Select(a => SiloAddresses.Format(a.Silo)).Order(StringComparer.Ordinal).ToList();
        return Merge(series, missing);
    }

    /// <summary>Lines the silos' samples up by time: a silo without a sample at a time adds nothing there.</summary>
    public static SeriesModel Merge(IReadOnlyList<MetricSeries> series, IReadOnlyList<string> missing)
    {
        var times = series.SelectMany(s => s.Times).Distinct().Order().ToArray();
        var index = times.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var lines = new List<SeriesLineModel>();
        var kinds = series.SelectMany(s => s.Operations).GroupBy(o => o.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);
        var byKind = kinds.Select(g => (g.Key, Values: Sum(times.Length, series, index, s => s.Operations.FirstOrDefault(o => o.Name == g.Key)?.Values ?? new double[s.Times.Length]))).ToList();
        lines.Add(new SeriesLineModel(Operations, "all", "ops/s", Sum(times.Length, series, index, s => TotalOperations(s))));
        lines.AddRange(byKind.Where(k => k.Values.Any(v => v > 0)).Select(k => new SeriesLineModel(Operations, k.Key, "ops/s", k.Values)));
        lines.Add(new SeriesLineModel(Bytes, "read", "B/s", Sum(times.Length, series, index, s => s.ReadBytesPerSecond)));
        lines.Add(new SeriesLineModel(Bytes, "written", "B/s", Sum(times.Length, series, index, s => s.WrittenBytesPerSecond)));
        lines.Add(new SeriesLineModel(Journal, "p50", "ms", Max(times.Length, series, index, s => s.JournalFlushP50Milliseconds)));
        lines.Add(new SeriesLineModel(Journal, "p99", "ms", Max(times.Length, series, index, s => s.JournalFlushP99Milliseconds)));
        lines.Add(new SeriesLineModel(Silos, "live", "silos", Max(times.Length, series, index, s => s.LiveSilos.Select(v => (double?)v).ToArray())));
        int interval = series.Select(s => s.IntervalSeconds).FirstOrDefault(i => i > 0);
        return new SeriesModel(interval, times, lines, series.Select(s => s.SiloAddress).Order(StringComparer.Ordinal).ToList(), missing);
    }

    private static double[] TotalOperations(MetricSeries s)
    {
        var total = new double[s.Times.Length];
        foreach (var kind in s.Operations)
            for (int i = 0; i < total.Length && i < kind.Values.Length; i++) total[i] += kind.Values[i];
        return total;
    }

    private static double?[] Sum(int length, IEnumerable<MetricSeries> series, Dictionary<long, int> index, Func<MetricSeries, double[]> values)
    {
        var sum = new double?[length];
        foreach (var s in series)
        {
            var v = values(s);
            for (int i = 0; i < s.Times.Length && i < v.Length; i++)
                sum[index[s.Times[i]]] = Math.Round((sum[index[s.Times[i]]] ?? 0) + v[i], 3);
        }
        return sum;
    }

    private static double?[] Max(int length, IEnumerable<MetricSeries> series, Dictionary<long, int> index, Func<MetricSeries, double?[]> values)
    {
        var max = new double?[length];
        foreach (var s in series)
        {
            var v = values(s);
            for (int i = 0; i < s.Times.Length && i < v.Length; i++)
                if (v[i] is { } value && (max[index[s.Times[i]]] is not { } m || value > m)) max[index[s.Times[i]]] = value;
        }
        return max;
    }

    private async Task<(SiloAddress Silo, MetricSeries? Series)> AskAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        try
        {
            return (silo, await data.GetMetricSeriesAsync(silo, cancellationToken).WaitAsync(options.Value.GrainCallTimeout, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSeriesFailed(logger, e, silo, e.Message);
            return (silo, null);
        }
    }

    [LoggerMessage(EventId = 1830, Level = LogLevel.Warning, Message = "Silo {Silo} did not send its metric series for the charts: {Reason}")]
    private static partial void LogSeriesFailed(ILogger logger, Exception exception, SiloAddress silo, string reason);
}
