namespace OrleansFs.Silo.Web.Models;

/// <summary>
/// One instrument of the `OrleansFs` meter on this silo: counters have a total and a rate over the last
/// window; histograms have a count, mean, max and last value.
/// </summary>
public sealed record InstrumentModel(
    string Name,
    string Kind,
    string? Unit,
    double Total,
    double RatePerSecond,
    long Count,
    double? Mean,
    double? Max,
    double? Last);
