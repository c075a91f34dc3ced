namespace OrleansFs.Metrics;

/// <summary>One named line of a <see cref="MetricSeries"/> (for example the operation `GetStatus`).</summary>
[GenerateSerializer]
[Alias("OrleansFs.NamedSeries")]
public sealed record NamedSeries
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public double[] Values { get; init; } = [];
}
