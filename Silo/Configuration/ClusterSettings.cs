namespace OrleansFs.Silo.Configuration;

/// <summary>The `Cluster` section: Orleans ids and how silos find each other.</summary>
public sealed class ClusterSettings
{
    public const string Section = "Cluster";

    public string Id { get; set; } = "ofs";
    public string ServiceId { get; set; } = "ofs";
    /// <summary>`Localhost`, `ZooKeeper` or `AdoNet`.</summary>
    public string Membership { get; set; } = nameof(MembershipKind.Localhost);
}
