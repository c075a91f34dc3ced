namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>One suspicion vote as stored: who suspected the silo, and when.</summary>
internal sealed record SuspectVoteDocument(string Silo, DateTime Time);
