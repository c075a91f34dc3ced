namespace OrleansFs.Silo.Web.Metrics;

internal sealed record InstrumentSnapshot(
    string Name, string Kind, string? Unit, double Total, double RatePerSecond, long Count, double? Mean, double? Max, double? Last);
