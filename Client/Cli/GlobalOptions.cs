using System.CommandLine;
using OrleansFs.Client;

namespace OrleansFs.Cli;

/// <summary>Options every command accepts, before or after its name: where the cluster is.</summary>
internal sealed class GlobalOptions
{
    public const string GatewayVariable = "OFS_GATEWAY";
    public const string ZooKeeperVariable = "OFS_ZOOKEEPER";
    public const string ZooKeeperAuthVariable = "OFS_ZOOKEEPER_AUTH";
    public const string PostgreSqlVariable = "OFS_POSTGRES";

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

    // As with ZooKeeper credentials, the variable keeps a password off the command line.
    public Option<string?> PostgreSql { get; } = new("--postgres")
    {
        Description = $"find gateways in the PostgreSQL membership table (Cluster:Membership=PostgreSql): an Npgsql connection string (default ${PostgreSqlVariable})",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Add(Gateway);
        root.Add(ZooKeeper);
        root.Add(ZooKeeperAuth);
        root.Add(PostgreSql);
    }

    /// <summary>
    /// The options win over the environment; an option given on the command line wins over the other kinds' variables;
    /// with none, the default local gateway.
    /// </summary>
    public OrleansFsClientOptions ToClientOptions(ParseResult parse)
    {
        string? zookeeper = parse.GetValue(ZooKeeper) ?? Environment.GetEnvironmentVariable(ZooKeeperVariable);
        string? gateway = parse.GetValue(Gateway) ?? Environment.GetEnvironmentVariable(GatewayVariable);
        string? postgres = parse.GetValue(PostgreSql) ?? Environment.GetEnvironmentVariable(PostgreSqlVariable);
        var options = new OrleansFsClientOptions
        {
            // A person is waiting: give up on an unreachable cluster after a few seconds.
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AttemptTimeout = TimeSpan.FromSeconds(15),
            CallTimeout = TimeSpan.FromSeconds(30),
        };
        bool zookeeperGiven = !string.IsNullOrWhiteSpace(parse.GetValue(ZooKeeper));
        bool postgresGiven = !string.IsNullOrWhiteSpace(parse.GetValue(PostgreSql));
        if (zookeeperGiven || (!postgresGiven && gateway is null && !string.IsNullOrWhiteSpace(zookeeper)))
        {
            options.ZooKeeperConnectionString = zookeeper;
            options.ZooKeeperAuth = parse.GetValue(ZooKeeperAuth) ?? Environment.GetEnvironmentVariable(ZooKeeperAuthVariable);
        }
        else if (postgresGiven || (gateway is null && !string.IsNullOrWhiteSpace(postgres)))
            options.PostgreSqlConnectionString = postgres;
        else if (!string.IsNullOrWhiteSpace(gateway))
            options.Gateways = [.. gateway.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        return options;
    }
}
