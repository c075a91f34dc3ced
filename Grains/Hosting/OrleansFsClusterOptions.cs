namespace OrleansFs.Grains.Hosting;

/// <summary>The `Cluster` section: Orleans ids and how silos find each other.</summary>
public sealed class OrleansFsClusterOptions
{
    public const string Section = "Cluster";

    public string Id { get; set; } = "ofs";
    public string ServiceId { get; set; } = "ofs";
    /// <summary>`Localhost`, `ZooKeeper` or `PostgreSql`.</summary>
    public string Membership { get; set; } = nameof(Hosting.MembershipKind.Localhost);

    /// <summary>The parsed <see cref="Membership"/>; null when it names no kind (the validator refuses it).</summary>
    public MembershipKind? ParsedMembership => ParseMembership(Membership);

    public static MembershipKind? ParseMembership(string? value) =>
        Enum.TryParse<MembershipKind>(value, ignoreCase: true, out var kind) && Enum.IsDefined(kind) ? kind : null;
}
