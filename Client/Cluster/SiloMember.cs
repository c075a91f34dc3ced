namespace OrleansFs.Client.Cluster;

/// <summary>One silo as the membership table records it, for `ofs report`.</summary>
public sealed record SiloMember
{
    /// <summary>host:port of the silo endpoint.</summary>
    public required string Address { get; init; }
    /// <summary>`Active`, `Dead`, `Joining`, `ShuttingDown`, … as Orleans names them.</summary>
    public required string Status { get; init; }
    public string SiloName { get; init; } = "";
    public string HostName { get; init; } = "";
    /// <summary>The client gateway port; 0 when the silo takes no clients.</summary>
    public int GatewayPort { get; init; }
    public DateTimeOffset StartTime { get; init; }
    public DateTimeOffset LastHeartbeat { get; init; }
}
