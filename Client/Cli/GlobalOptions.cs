using System.CommandLine;
using OrleansFs.Client;
using OrleansFs.Security;

namespace OrleansFs.Cli;

/// <summary>Options every command accepts, before or after its name: where the cluster is.</summary>
internal sealed class GlobalOptions
{
    public const string GatewayVariable = "OFS_GATEWAY";
    public const string ZooKeeperVariable = "OFS_ZOOKEEPER";
    public const string ZooKeeperAuthVariable = "OFS_ZOOKEEPER_AUTH";
    public const string PostgreSqlVariable = "OFS_POSTGRES";
    public const string TlsCaVariable = "OFS_TLS_CA";
    public const string TlsCertificateVariable = "OFS_TLS_CERT";
    public const string TlsKeyVariable = "OFS_TLS_KEY";

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

    public Option<string?> TlsCa { get; } = new("--tls-ca")
    {
        Description = $"connect over TLS, trusting only the CAs in this PEM file (the cluster's CA; default ${TlsCaVariable})",
        Recursive = true,
    };

    public Option<string?> TlsCertificate { get; } = new("--tls-cert")
    {
        Description = $"present this PEM client certificate, for a cluster that requires one (default ${TlsCertificateVariable})",
        Recursive = true,
    };

    public Option<string?> TlsKey { get; } = new("--tls-key")
    {
        Description = $"the PEM private key of --tls-cert (default ${TlsKeyVariable})",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Add(Gateway);
        root.Add(ZooKeeper);
        root.Add(ZooKeeperAuth);
        root.Add(PostgreSql);
        root.Add(TlsCa);
        root.Add(TlsCertificate);
        root.Add(TlsKey);
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
        options.Tls = TlsOptions(parse);
        return options;
    }

    /// <summary>Each of the three from its option, else its variable; TLS is on as soon as one is set.</summary>
    private ClientTlsOptions TlsOptions(ParseResult parse) => new()
    {
        CaPath = OptionOrVariable(parse, TlsCa, TlsCaVariable),
        CertificatePath = OptionOrVariable(parse, TlsCertificate, TlsCertificateVariable),
        KeyPath = OptionOrVariable(parse, TlsKey, TlsKeyVariable),
    };

    private static string? OptionOrVariable(ParseResult parse, Option<string?> option, string variable) =>
        parse.GetValue(option) is { Length: > 0 } given ? given
        : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value
        : null;
}
