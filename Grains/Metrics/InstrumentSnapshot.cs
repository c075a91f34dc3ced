namespace OrleansFs.Grains.Metrics;

/// <summary>One instrument's aggregates at one moment, as the Metrics page shows them.</summary>
public sealed record InstrumentSnapshot(
    string Name, string Kind, string? Unit, double Total, double RatePerSecond, long Count, double? Mean, double? Max, double? Last);
