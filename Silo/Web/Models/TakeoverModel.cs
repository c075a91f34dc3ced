namespace OrleansFs.Silo.Web.Models;

/// <summary>One master move: the new epoch, where it went, where from, and how long detection and recovery took.</summary>
public sealed record TakeoverModel(
    long Epoch,
    string SiloAddress,
    string? PreviousSiloAddress,
    DateTimeOffset StartedAt,
    double? DetectionMilliseconds,
    double RecoveryMilliseconds,
    long RecordsReplayed);
