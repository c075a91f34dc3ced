namespace OrleansFs.Silo.Web.Models;

/// <summary>
/// One line of a chart: which chart (<c>operations</c>, <c>bytes</c>, <c>journal</c>, <c>silos</c>), its name,
/// its unit, and one value per time of the <see cref="SeriesModel"/> (null where nothing was measured).
/// </summary>
public sealed record SeriesLineModel(string Chart, string Name, string Unit, IReadOnlyList<double?> Values);
