using System.Diagnostics.Metrics;
using OrleansFs.Metrics;

namespace OrleansFs.Client.Metrics;

/// <summary>
/// The client's own instruments, on the <c>OrleansFs.Client</c> meter: the bytes this process's streams read
/// and wrote, tagged with the way they went (<c>via</c> = <c>short_circuit</c>, <c>data_endpoint</c> or
/// <c>grain</c>). Same-host short-circuit reads never reach a silo, so only these counters see them. An
/// application exports them with OpenTelemetry (<c>AddMeter("OrleansFs.Client")</c>) or a <c>MeterListener</c>.
/// </summary>
internal static class ClientMetrics
{
    private static readonly Meter Meter = new(MetricNames.ClientMeter);

    private static readonly Counter<long> BytesRead =
        Meter.CreateCounter<long>(MetricNames.ClientBytesRead, "By", "Bytes read by this client's file streams, by the way they came");

    private static readonly Counter<long> BytesWritten =
        Meter.CreateCounter<long>(MetricNames.ClientBytesWritten, "By", "Bytes written by this client's file streams, by the way they went");

    private static readonly Counter<long> MetadataCacheHits =
        Meter.CreateCounter<long>(MetricNames.ClientMetadataCacheHits, "{lookup}", "Metadata cache lookups answered from the cache, by kind (status, listing)");

    private static readonly Counter<long> MetadataCacheMisses =
        Meter.CreateCounter<long>(MetricNames.ClientMetadataCacheMisses, "{lookup}", "Metadata cache lookups that went to the master, by kind (status, listing)");

    /// <summary>The values of the metadata cache's <c>kind</c> tag.</summary>
    internal static class CacheKinds
    {
        public const string Status = "status";
        public const string Listing = "listing";
    }

    internal static void MetadataCacheLookup(bool hit, string kind) =>
        (hit ? MetadataCacheHits : MetadataCacheMisses).Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Counts <paramref name="bytes"/> read and returns them, so a read is counted where it returns.</summary>
    internal static int Read(int bytes, string via)
    {
        BytesRead.Add(bytes, new KeyValuePair<string, object?>(MetricNames.ViaTag, via));
        return bytes;
    }

    internal static void Written(int bytes, string via) =>
        BytesWritten.Add(bytes, new KeyValuePair<string, object?>(MetricNames.ViaTag, via));
}
