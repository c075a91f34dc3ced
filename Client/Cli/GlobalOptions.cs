using System.CommandLine;
using OrleansFs.Client;

namespace OrleansFs.Cli;

/// <summary>Options every command accepts, before or after its name: where the cluster is.</summary>
internal sealed class GlobalOptions
{
    public const string GatewayVariable = "OFS_GATEWAY";
    public const string ZooKeeperVariable = "OFS_ZOOKEEPER";
    public const string ZooKeeperAuthVariable = "OFS_ZOOKEEPER_AUTH";

    public Option<string?> Gateway { get; } = new("--gateway")
    {
        Description = $"a gateway as host:port (default ${GatewayVariable}, else {OrleansFsClientOptions.DefaultGateway})",
        Recursive = true,
    };

    public Option<string?> ZooKeeper { get; } = new("--zookeeper")
    {
        Description = $"find gateways in ZooKeeper: host:port,host:port/chroot (default ${ZooKeeperVariable})",
        Recursive = true,
    };

    // The variable is the better place for a secret: a command line is visible to every user of the host.
    public Option<string?> ZooKeeperAuth { get; } = new("--zookeeper-auth")
    {
        Description = $"ZooKeeper credentials, scheme:credentials e.g. digest:user:password, when the cluster's znodes are not world-readable (default ${ZooKeeperAuthVariable})",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Add(Gateway);
        root.Add(ZooKeeper);
        root.Add(ZooKeeperAuth);
    }

    /// <summary>The options win over the environment; with neither, the default local gateway.</summary>
    public OrleansFsClientOptions ToClientOptions(ParseResult parse)
    {
        string? zookeeper = parse.GetValue(ZooKeeper) ?? Environment.GetEnvironmentVariable(ZooKeeperVariable);
        string? gateway = parse.GetValue(Gateway) ?? Environment.GetEnvironmentVariable(GatewayVariable);
        var options = new OrleansFsClientOptions
        {
            // A person is waiting: give up on an unreachable cluster after a few seconds.
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AttemptTimeout = TimeSpan.FromSeconds(15),
            CallTimeout = TimeSpan.FromSeconds(30),
        };
        if (!string.IsNullOrWhiteSpace(parse.GetValue(ZooKeeper)) || (gateway is null && !string.IsNullOrWhiteSpace(zookeeper)))
        {
            options.ZooKeeperConnectionString = zookeeper;
            options.ZooKeeperAuth = parse.GetValue(ZooKeeperAuth) ?? Environment.GetEnvironmentVariable(ZooKeeperAuthVariable);
        }
        else if (!string.IsNullOrWhiteSpace(gateway))
            options.Gateways = [.. gateway.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        return options;
    }
}
