using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace OrleansFs.Tests.Network;

/// <summary>
/// Machines on one switch, on this one machine: a bridge in the root namespace (address 10.231.N.1 in a /24
/// chosen per instance) and one network namespace per host (10.231.N.11, .12, ...) joined to it by a veth pair.
/// ZooKeeper and clients stay in the root namespace and reach the hosts through the bridge. Faults:
/// <see cref="Vanish"/> (the host's link down: packets dropped, no reset), <see cref="PartitionInbound"/> (the
/// host sends but receives nothing), <see cref="CutFromZooKeeper(NetworkHost)"/> (only ZooKeeper's ports dropped),
/// and <see cref="Return"/>, which undoes all of them. Dispose removes everything; <see cref="Create"/> first
/// removes what a killed run left behind (its owner process is gone).
/// </summary>
public sealed partial class HostNetwork : IDisposable
{
    private const string Prefix = "ofs-";
    private const string FaultTable = "ofs_fault";
    private static readonly string OwnerDirectory = Path.Combine("/run", "ofs-netns");
    private static readonly Lazy<string?> Unavailable = new(ProbeUnavailableReason);
    private readonly int _subnet;
    private bool _disposed;

    private HostNetwork(int subnet)
    {
        _subnet = subnet;
        // A test host that exits without disposing (a fixture that failed half-way) still removes its namespaces.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        Bridge = $"{Prefix}br{subnet}";
        BridgeAddress = $"10.231.{subnet}.1";
    }

    /// <summary>Why namespaces cannot be created here (not root, no `ip`, no netns support), or null when they can.</summary>
    public static string? UnavailableReason => Unavailable.Value;

    /// <summary>The bridge's name in the root namespace.</summary>
    public string Bridge { get; }

    /// <summary>The root namespace's address on the bridge: where ZooKeeper listens and clients' packets come from.</summary>
    public string BridgeAddress { get; }

    public IReadOnlyList<NetworkHost> Hosts { get; private set; } = [];

    /// <summary>The ZooKeeper client ports (on <see cref="BridgeAddress"/>) that <see cref="CutFromZooKeeper(NetworkHost)"/> drops.</summary>
    public IReadOnlyCollection<int> ZooKeeperPorts { get; set; } = [];

    /// <summary>A bridge and <paramref name="hosts"/> namespaces on a free 10.231.N.0/24. Throws with the reason when it cannot.</summary>
    public static HostNetwork Create(int hosts)
    {
        if (UnavailableReason is { } reason) throw new InvalidOperationException($"network namespaces are not available: {reason}");
        RemoveStale();
        var network = new HostNetwork(ClaimSubnet());
        try
        {
            network.CreateBridge();
            network.Hosts = Enumerable.Range(1, hosts).Select(network.CreateHost).ToList();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The host whose address is <paramref name="address"/> (a silo's advertised address).</summary>
    public NetworkHost HostAt(string address) =>
        Hosts.SingleOrDefault(h => h.Address == address) ?? throw new InvalidOperationException($"no host of {Bridge} has address {address}");

    /// <summary>The machine vanishes: its link goes down on the bridge side. Its packets, and those sent to it, are dropped.</summary>
    public void Vanish(NetworkHost host) => NetCommand.Ip("link", "set", host.RootLink, "down");

    /// <summary>The host is whole again: link up and every nftables fault removed.</summary>
    public void Return(NetworkHost host)
    {
        NetCommand.Ip("link", "set", host.RootLink, "up");
        NetCommand.TryRun("ip", ["netns", "exec", host.Namespace, "nft", "delete", "table", "inet", FaultTable]);
    }

    /// <summary>One-way partition: the host still sends, but every packet arriving on its link is dropped.</summary>
    public void PartitionInbound(NetworkHost host) =>
        NetCommand.Nft(host.Namespace, FaultChains() + $"add rule inet {FaultTable} input iifname \"eth0\" drop\n");

    /// <summary>Cuts the host from ZooKeeper (<see cref="ZooKeeperPorts"/>) only: clients and other silos still reach it.</summary>
    public void CutFromZooKeeper(NetworkHost host) => CutFromZooKeeper(host, ZooKeeperPorts);

    /// <summary>Drops all traffic between the host and these TCP ports on <see cref="BridgeAddress"/>, both ways.</summary>
    public void CutFromZooKeeper(NetworkHost host, IReadOnlyCollection<int> zooKeeperPorts)
    {
        if (zooKeeperPorts.Count == 0) throw new InvalidOperationException("no ZooKeeper ports to cut: set ZooKeeperPorts");
        string ports = string.Join(", ", zooKeeperPorts);
        NetCommand.Nft(host.Namespace, FaultChains() +
            $"add rule inet {FaultTable} output ip daddr {BridgeAddress} tcp dport {{ {ports} }} drop\n" +
            $"add rule inet {FaultTable} input ip saddr {BridgeAddress} tcp sport {{ {ports} }} drop\n");
    }

    /// <summary>The command line that runs <paramref name="command"/> inside <paramref name="host"/> (`ip netns exec NS ...`).</summary>
    public static string[] ExecIn(NetworkHost host, params string[] command) => ["ip", "netns", "exec", host.Namespace, .. command];

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        RemoveSubnet(_subnet);
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private static string FaultChains() =>
        $"add table inet {FaultTable}\n" +
        $"add chain inet {FaultTable} input {{ type filter hook input priority 0; policy accept; }}\n" +
        $"add chain inet {FaultTable} output {{ type filter hook output priority 0; policy accept; }}\n";

    private void CreateBridge()
    {
        NetCommand.Ip("link", "add", Bridge, "type", "bridge", "forward_delay", "0");
        NetCommand.Ip("addr", "add", $"{BridgeAddress}/24", "dev", Bridge);
        NetCommand.Ip("link", "set", Bridge, "up");
    }

    private NetworkHost CreateHost(int index)
    {
        var host = new NetworkHost($"h{index}", $"{Prefix}{_subnet}-h{index}", $"10.231.{_subnet}.{10 + index}", $"{Prefix}v{_subnet}h{index}");
        NetCommand.Ip("netns", "add", host.Namespace);
        NetCommand.Ip("link", "add", host.RootLink, "type", "veth", "peer", "name", "eth0", "netns", host.Namespace);
        NetCommand.Ip("link", "set", host.RootLink, "master", Bridge, "up");
        InHost(host, "ip", "addr", "add", $"{host.Address}/24", "dev", "eth0");
        InHost(host, "ip", "link", "set", "eth0", "up");
        InHost(host, "ip", "link", "set", "lo", "up");
        return host;
    }

    private static void InHost(NetworkHost host, params string[] command) => NetCommand.Ip(["netns", "exec", host.Namespace, .. command]);

    /// <summary>
    /// Picks a random free N for 10.231.N.0/24 and claims it with an owner file (this process's PID and start time),
    /// so parallel fixtures and test runs never share a subnet.
    /// </summary>
    private static int ClaimSubnet()
    {
        Directory.CreateDirectory(OwnerDirectory);
        foreach (int subnet in Enumerable.Range(0, 256).OrderBy(_ => Random.Shared.Next()))
        {
            try
            {
                using var owner = new FileStream(OwnerFile(subnet), FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(owner);
                writer.Write(ProcessIdentity(Environment.ProcessId));
            }
            catch (IOException)
            {
                continue;
            }
            if (!Exists("link", "show", $"{Prefix}br{subnet}")) return subnet;
            File.Delete(OwnerFile(subnet)); // a bridge of that name that is not ours: leave it alone
        }
        throw new InvalidOperationException($"every 10.231.N.0/24 is claimed in {OwnerDirectory}");
    }

    /// <summary>Removes the namespaces (with their processes), veths and bridge of subnets whose owner process is gone.</summary>
    private static void RemoveStale()
    {
        var claimed = new HashSet<int>();
        if (Directory.Exists(OwnerDirectory))
        {
            foreach (string file in Directory.EnumerateFiles(OwnerDirectory, "*.owner"))
            {
                if (!int.TryParse(Path.GetFileNameWithoutExtension(file), out int subnet)) continue;
                if (OwnerAlive(file)) claimed.Add(subnet);
                else RemoveSubnet(subnet);
            }
        }
        // Ours by name but with no owner file at all (a run killed between claim and clean-up of the file).
        var orphans = NetCommand.Ip("netns", "list").Split('\n').Select(l => NamespaceName().Match(l)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value))
            .Concat(NetCommand.Ip("-o", "link", "show", "type", "bridge").Split('\n').Select(l => BridgeName().Match(l)).Where(m => m.Success)
                .Select(m => int.Parse(m.Groups[1].Value)));
        foreach (int subnet in orphans.Distinct().Where(s => !claimed.Contains(s) && !File.Exists(OwnerFile(s)))) RemoveSubnet(subnet);
    }

    /// <summary>Kills what still runs in the subnet's namespaces (by PID), deletes them, the bridge and the owner file.</summary>
    private static void RemoveSubnet(int subnet)
    {
        foreach (string netns in NetCommand.Ip("netns", "list").Split('\n').Select(l => l.Split(' ')[0]).Where(n => n.StartsWith($"{Prefix}{subnet}-h", StringComparison.Ordinal)))
        {
            var (_, pids, _) = NetCommand.TryRun("ip", ["netns", "pids", netns]);
            foreach (string pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (int.TryParse(pid, out int id)) _ = SendSignal(id, 9);
            NetCommand.TryRun("ip", ["netns", "del", netns]);
        }
        if (Exists("link", "show", $"{Prefix}br{subnet}")) NetCommand.TryRun("ip", ["link", "del", $"{Prefix}br{subnet}"]);
        try { File.Delete(OwnerFile(subnet)); } catch (IOException) { }
    }

    private static bool Exists(params string[] ipArgs) => NetCommand.TryRun("ip", ipArgs).ExitCode == 0;

    private static string OwnerFile(int subnet) => Path.Combine(OwnerDirectory, $"{subnet}.owner");

    private static bool OwnerAlive(string ownerFile)
    {
        try
        {
            string[] owner = File.ReadAllText(ownerFile).Split(' ');
            return owner.Length == 2 && int.TryParse(owner[0], out int pid) && ProcessIdentity(pid) == string.Join(' ', owner);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>"PID start-time": a PID alone could have been reused by an unrelated process since.</summary>
    private static string ProcessIdentity(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 22 (starttime), counted after the parenthesised command name, which may hold spaces.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return $"{pid} {fields[19]}";
        }
        catch (IOException)
        {
            return $"{pid} gone";
        }
    }

    private static string? ProbeUnavailableReason()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        if (GetEffectiveUserId() != 0) return "creating network namespaces needs root (run the tests as root, as CI does)";
        string probe = $"{Prefix}probe-{Environment.ProcessId}";
        try
        {
            var (exitCode, _, stderr) = NetCommand.TryRun("ip", ["netns", "add", probe]);
            if (exitCode != 0) return $"`ip netns add` failed: {stderr.Trim()}";
            NetCommand.TryRun("ip", ["netns", "del", probe]);
            return null;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"the `ip` command (iproute2) cannot be run: {e.Message}";
        }
    }

    [GeneratedRegex(@"^ofs-(\d+)-h\d+\b")]
    private static partial Regex NamespaceName();

    [GeneratedRegex(@"^\d+: ofs-br(\d+)[:@]")]
    private static partial Regex BridgeName();

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
