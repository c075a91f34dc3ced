namespace OrleansFs.Grains.Master;

/// <summary>The `Master` configuration section.</summary>
public sealed class MasterOptions
{
    public const string Section = "Master";

    /// <summary>How long a request id is remembered, so a retry within it returns the first result (as HDFS's retry cache).</summary>
    public TimeSpan RetryCacheWindow { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>At most this many request ids are remembered; the oldest go first.</summary>
    public int RetryCacheMaxEntries { get; set; } = 500_000;
    /// <summary>How often the TTL checker looks for expired files.</summary>
    public TimeSpan TtlCheckPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
