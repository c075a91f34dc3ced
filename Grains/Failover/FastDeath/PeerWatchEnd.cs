namespace OrleansFs.Grains.Failover.FastDeath;

/// <summary>How a watch connection or a connect to a peer's silo port ended.</summary>
internal enum PeerWatchEnd
{
    /// <summary>The peer's kernel ended it: FIN or RST on an open connection, or RST in the middle of a connect.</summary>
    ClosedByPeer,
    /// <summary>The peer's kernel refused a connect (RST): nothing listens on the port.</summary>
    Refused,
    /// <summary>No answer at all (timeout, host or network unreachable): a vanished host, a partition, or a slow one.</summary>
    NoAnswer,
}
