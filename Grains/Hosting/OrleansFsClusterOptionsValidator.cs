using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Hosting;

/// <summary>Checks the `Cluster` section, and that the membership it names has what it needs.</summary>
public sealed class OrleansFsClusterOptionsValidator(IOptions<ZooKeeperOptions> zooKeeper) : IValidateOptions<OrleansFsClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, OrleansFsClusterOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Id)) return ValidateOptionsResult.Fail("Cluster:Id must not be empty");
        if (string.IsNullOrWhiteSpace(options.ServiceId)) return ValidateOptionsResult.Fail("Cluster:ServiceId must not be empty");
        return options.ParsedMembership switch
        {
            null => ValidateOptionsResult.Fail(
                $"Cluster:Membership '{options.Membership}' is not one of Localhost, ZooKeeper, PostgreSql"),
            MembershipKind.ZooKeeper when string.IsNullOrWhiteSpace(zooKeeper.Value.ConnectionString) => ValidateOptionsResult.Fail(
                "Cluster:Membership is ZooKeeper but ZooKeeper:ConnectionString is not set (host:port,host:port/chroot)"),
            MembershipKind.AdoNet => ValidateOptionsResult.Fail(
                "Cluster:Membership=AdoNet is not a membership kind; for the membership table in PostgreSQL use Cluster:Membership=PostgreSql with PostgreSql:ConnectionString"),
            _ => ValidateOptionsResult.Success,
        };
    }
}
