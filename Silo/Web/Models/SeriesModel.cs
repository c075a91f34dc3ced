namespace OrleansFs.Silo.Web.Models;

/// <summary>
/// The charts' data, `/api/v1/metrics/series`: the last 15 minutes of every silo that answered, one sample per
/// <see cref="IntervalSeconds"/> (times in Unix milliseconds, oldest first), summed across silos
/// (journal latency: the slowest silo's; live silos: the most any silo saw).
/// </summary>
public sealed record SeriesModel(
    int IntervalSeconds,
    IReadOnlyList<long> Times,
    IReadOnlyList<SeriesLineModel> Lines,
    IReadOnlyList<string> Silos,
    IReadOnlyList<string> SilosNotAnswering);
