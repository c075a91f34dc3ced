using System.Net;
using Microsoft.Extensions.Configuration;

namespace OrleansFs.Silo.Configuration;

/// <summary>
/// Every section the host needs before it can wire Orleans, read and checked once at startup so that a
/// bad value stops the process with one clear line instead of a stack trace from deep inside Orleans.
/// </summary>
public sealed class SiloConfiguration
{
    public required ClusterSettings Cluster { get; init; }
    public required SiloSettings Silo { get; init; }
    public required ZooKeeperSettings ZooKeeper { get; init; }
    public required AdoNetSettings AdoNet { get; init; }
    public required WebSettings Web { get; init; }
    public required DashboardSettings Dashboard { get; init; }
    public required WorkerSettings Worker { get; init; }
    public required UnderStorageSettings UnderStorage { get; init; }

    public MembershipKind Membership { get; private init; }
    public IPAddress AdvertisedAddress { get; private init; } = IPAddress.Loopback;

    /// <summary>Binds and validates; throws <see cref="SiloConfigurationException"/> naming the first bad key.</summary>
    public static SiloConfiguration Load(IConfiguration configuration)
    {
        var silo = Bind<SiloSettings>(configuration, SiloSettings.Section);
        var cluster = Bind<ClusterSettings>(configuration, ClusterSettings.Section);
        var result = new SiloConfiguration
        {
            Cluster = cluster,
            Silo = silo,
            ZooKeeper = Bind<ZooKeeperSettings>(configuration, ZooKeeperSettings.Section),
            AdoNet = Bind<AdoNetSettings>(configuration, AdoNetSettings.Section),
            Web = Bind<WebSettings>(configuration, WebSettings.Section),
            Dashboard = Bind<DashboardSettings>(configuration, DashboardSettings.Section),
            Worker = Bind<WorkerSettings>(configuration, WorkerSettings.Section),
            UnderStorage = Bind<UnderStorageSettings>(configuration, UnderStorageSettings.Section),
            Membership = ParseMembership(cluster.Membership),
            AdvertisedAddress = ParseAddress(silo.AdvertisedAddress),
        };
        result.Validate();
        return result;
    }

    private static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var settings = new T();
        try
        {
            configuration.GetSection(section).Bind(settings);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message already names the key and the value ("... at 'Silo:Port' to type ...").
            throw new SiloConfigurationException(e.Message);
        }
        return settings;
    }

    private static MembershipKind ParseMembership(string value)
    {
        if (Enum.TryParse<MembershipKind>(value, ignoreCase: true, out var kind) && Enum.IsDefined(kind))
            return kind;
        throw new SiloConfigurationException(
            $"Cluster:Membership '{value}' is not one of {string.Join(", ", Enum.GetNames<MembershipKind>())}");
    }

    private static IPAddress ParseAddress(string value)
    {
        if (IPAddress.TryParse(value, out var address)) return address;
        throw new SiloConfigurationException($"Silo:AdvertisedAddress '{value}' is not an IP address");
    }

    private void Validate()
    {
        RequireText("Cluster:Id", Cluster.Id);
        RequireText("Cluster:ServiceId", Cluster.ServiceId);
        var ports = new (string Key, int Port)[]
        {
            ("Silo:Port", Silo.Port), ("Silo:GatewayPort", Silo.GatewayPort),
            ("Web:Port", Web.Port), ("Dashboard:Port", Dashboard.Port),
        };
        foreach (var (key, port) in ports)
        {
            if (port is < 1 or > 65535)
                throw new SiloConfigurationException($"{key} {port} is not a TCP port (1-65535)");
        }
        // Every endpoint needs its own port: the dashboard shows grain state and has its own access rules, so it
        // never shares the web interface's listener.
        for (int i = 0; i < ports.Length; i++)
        for (int j = i + 1; j < ports.Length; j++)
        {
            if (ports[i].Port == ports[j].Port)
                throw new SiloConfigurationException($"{ports[i].Key} and {ports[j].Key} are both {ports[i].Port}");
        }
        if (Silo.ShutdownTimeout <= TimeSpan.Zero)
            throw new SiloConfigurationException($"Silo:ShutdownTimeout {Silo.ShutdownTimeout} must be positive");
        if (Worker.MemoryBytes < 0)
            throw new SiloConfigurationException($"Worker:MemoryBytes {Worker.MemoryBytes} must not be negative");
        if (Worker.DataPort is < 0 or > 65535)
            throw new SiloConfigurationException($"Worker:DataPort {Worker.DataPort} must be 0 (pick a free port) or a TCP port up to 65535");
        RequireText("UnderStorage:Directory", UnderStorage.Directory);
        ValidateMembership();
    }

    private void ValidateMembership()
    {
        switch (Membership)
        {
            case MembershipKind.ZooKeeper when string.IsNullOrWhiteSpace(ZooKeeper.ConnectionString):
                throw new SiloConfigurationException(
                    "Cluster:Membership is ZooKeeper but ZooKeeper:ConnectionString is not set (host:port,host:port/chroot)");
            case MembershipKind.AdoNet:
                throw new SiloConfigurationException(
                    "Cluster:Membership AdoNet is not supported yet; use Localhost or ZooKeeper");
        }
    }

    private static void RequireText(string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new SiloConfigurationException($"{key} must not be empty");
    }
}
