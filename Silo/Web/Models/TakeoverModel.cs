namespace OrleansFs.Silo.Web.Models;

/// <summary>
/// One master move: the new epoch, where it went, where from, why (<c>SiloFailed</c>, <c>GracefulMove</c>,
/// <c>FirstStart</c>, <c>MasterStopped</c>, <c>Unknown</c>), and how long detection and recovery took. Detection
/// runs from the last time the cluster heard from the old silo to its death declaration, 0 for a graceful move and
/// null when not known; <c>DetectionFromFirstVoteMilliseconds</c> is the part after the first suspicion vote.
/// </summary>
public sealed record TakeoverModel(
    long Epoch,
    string SiloAddress,
    string? PreviousSiloAddress,
    DateTimeOffset StartedAt,
    double? DetectionMilliseconds,
    double RecoveryMilliseconds,
    long RecordsReplayed,
    string Cause,
    double? DetectionFromFirstVoteMilliseconds = null);
