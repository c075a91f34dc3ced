using System.CommandLine;
using OrleansFs.Client;

namespace OrleansFs.Cli;

/// <summary>Options every command accepts, before or after its name: where the cluster is.</summary>
internal sealed class GlobalOptions
{
    public const string GatewayVariable = "OFS_GATEWAY";
    public const string ZooKeeperVariable = "OFS_ZOOKEEPER";

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

    public void AddTo(RootCommand root)
    {
        root.Add(Gateway);
        root.Add(ZooKeeper);
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
            options.ZooKeeperConnectionString = zookeeper;
        else if (!string.IsNullOrWhiteSpace(gateway))
            options.Gateways = [.. gateway.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        return options;
    }
}
