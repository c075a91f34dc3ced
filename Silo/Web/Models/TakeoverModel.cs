namespace OrleansFs.Silo.Web.Models;

/// <summary>
/// One master move: the new epoch, where it went, where from, why (<c>SiloFailed</c>, <c>GracefulMove</c>,
/// <c>FirstStart</c>, <c>MasterStopped</c>, <c>Unknown</c>), and how long detection and recovery took. Detection
/// is 0 for a graceful move and null when not known.
/// </summary>
public sealed record TakeoverModel(
    long Epoch,
    string SiloAddress,
    string? PreviousSiloAddress,
    DateTimeOffset StartedAt,
    double? DetectionMilliseconds,
    double RecoveryMilliseconds,
    long RecordsReplayed,
    string Cause);
