namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>
/// A silo row as stored in its znode, in JSON. IAmAliveTime is kept out: it lives in the row's IAmAlive child so
/// that heartbeats never change the row's version (its etag).
/// </summary>
internal sealed record MembershipEntryDocument(
    string SiloAddress,
    string Status,
    List<SuspectVoteDocument> SuspectTimes,
    int ProxyPort,
    string? HostName,
    string? SiloName,
    string? RoleName,
    int UpdateZone,
    int FaultZone,
    DateTime StartTime);
