using System.Text;
using OrleansFs.TestSupport.Tls;

namespace OrleansFs.TestSupport;

/// <summary>
/// Real ZooKeeper servers on loopback with free ports in a temp directory: one standalone server, or an ensemble
/// of N members. Members can be SIGKILLed and restarted; dispose stops every process by its PID.
/// </summary>
public sealed class ZooKeeperEnsemble : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _directory;

    private ZooKeeperEnsemble(TempDirectory directory, IReadOnlyList<ZooKeeperServer> members)
    {
        _directory = directory;
        Members = members;
    }

    /// <summary>JVM and zoo.cfg settings used for servers started from now on.</summary>
    public static ZooKeeperServerOptions Options { get; set; } = new();

    public IReadOnlyList<ZooKeeperServer> Members { get; }

    /// <summary><c>127.0.0.1:p1,127.0.0.1:p2,...</c> without a chroot.</summary>
    public string ConnectionString => string.Join(",", Members.Select(m => m.Endpoint));

    /// <summary>The members' TLS client ports, for an ensemble started with TLS.</summary>
    public string SecureConnectionString => string.Join(",", Members.Select(m => m.SecureEndpoint));

    public static Task<ZooKeeperEnsemble> StartStandaloneAsync() => StartAsync(1);

    /// <summary>
    /// Starts <paramref name="size"/> servers (1 = standalone) and waits until all serve. With <paramref name="tls"/>
    /// each member also has a secure client port (<see cref="SecureConnectionString"/>). Client ports listen on
    /// <paramref name="clientAddress"/> (loopback by default; a test network's bridge address lets silos in network
    /// namespaces reach them, while the quorum ports stay on loopback).
    /// </summary>
    public static async Task<ZooKeeperEnsemble> StartAsync(int size, ZooKeeperServerTls? tls = null, string clientAddress = "127.0.0.1")
    {
        var directory = new TempDirectory("ofs-zk");
        var ports = Enumerable.Range(0, size).Select(_ => (Client: FreePort.Next(), Quorum: FreePort.Next(), Election: FreePort.Next())).ToArray();
        var securePorts = Enumerable.Range(0, size).Select(_ => tls is null ? (int?)null : FreePort.Next()).ToArray();
        var members = new List<ZooKeeperServer>();
        for (int i = 0; i < size; i++)
        {
            var memberDirectory = directory.Combine($"n{i + 1}");
            var config = Config(memberDirectory, ports, i, clientAddress);
            if (tls is not null) config += string.Join(Environment.NewLine, tls.ConfigLines(securePorts[i]!.Value)) + Environment.NewLine;
            members.Add(new ZooKeeperServer(i + 1, memberDirectory, ports[i].Client, config, securePorts[i], clientAddress));
        }
        var ensemble = new ZooKeeperEnsemble(directory, members);
        try
        {
            foreach (var member in members) member.Start();
            await ensemble.WaitAllServingAsync();
            return ensemble;
        }
        catch
        {
            await ensemble.DisposeAsync();
            throw;
        }
    }

    public Task WaitAllServingAsync() => Task.WhenAll(Members.Select(m => m.WaitServingAsync(StartTimeout)));

    /// <summary>The member whose client port is this one.</summary>
    public ZooKeeperServer MemberOnPort(int clientPort) => Members.Single(m => m.ClientPort == clientPort);

    /// <summary>Restarts any killed member and waits until every member serves again.</summary>
    public async Task HealAsync()
    {
        foreach (var member in Members.Where(m => !m.IsRunning)) member.Start();
        await WaitAllServingAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members) await member.DisposeAsync();
        _directory.Dispose();
    }

    private static string Config(string memberDirectory, (int Client, int Quorum, int Election)[] ports, int index, string clientAddress)
    {
        var options = Options;
        var text = new StringBuilder()
            .AppendLine($"tickTime={options.TickTimeMs}")
            .AppendLine("initLimit=20")
            .AppendLine("syncLimit=10")
            .AppendLine($"dataDir={Path.Combine(memberDirectory, "data")}")
            .AppendLine($"clientPort={ports[index].Client}")
            .AppendLine($"clientPortAddress={clientAddress}")
            .AppendLine("maxClientCnxns=0")
            .AppendLine("admin.enableServer=false")
            .AppendLine("4lw.commands.whitelist=ruok,srvr,stat,mntr,conf,cons,isro")
            .AppendLine($"minSessionTimeout={options.MinSessionTimeoutMs}")
            .AppendLine($"maxSessionTimeout={options.MaxSessionTimeoutMs}");
        foreach (var line in options.ExtraConfig) text.AppendLine(line);
        if (ports.Length > 1)
        {
            for (int i = 0; i < ports.Length; i++) text.AppendLine($"server.{i + 1}=127.0.0.1:{ports[i].Quorum}:{ports[i].Election}");
        }
        return text.ToString();
    }
}
