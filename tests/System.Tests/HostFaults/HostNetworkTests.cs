using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrleansFs.TestSupport;
using OrleansFs.Tests.Network;

namespace OrleansFs.Tests.HostFaults;

/// <summary>
/// The harness itself: each fault does to real TCP what it claims (a vanished host answers nothing, not even a
/// reset; a one-way partition lets the host send but not receive; a ZooKeeper cut drops only those ports), and
/// nothing is left behind.
/// </summary>
public sealed class HostNetworkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    [NetnsFact]
    public async Task AVanishedHostAnswersNothingNotEvenAResetAndReturnsWhole()
    {
        using var network = HostNetwork.Create(2);
        var host = network.Hosts[0];
        Assert.Equal(Reach.Refused, await ConnectAsync(host.Address, FreePort.Next()));

        network.Vanish(host);
        Assert.Equal(Reach.Silent, await ConnectAsync(host.Address, FreePort.Next()));
        Assert.Equal(Reach.Refused, await ConnectAsync(network.Hosts[1].Address, FreePort.Next()));

        network.Return(host);
        Assert.Equal(Reach.Refused, await ConnectAsync(host.Address, FreePort.Next()));
    }

    [NetnsFact]
    public async Task AnInboundPartitionLetsTheHostSendButNotReceive()
    {
        using var network = HostNetwork.Create(1);
        var host = network.Hosts[0];
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Parse(network.BridgeAddress), 0));
        int port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;

        network.PartitionInbound(host);
        var received = udp.ReceiveAsync();
        Assert.Equal(0, InHost(host, $"echo sent > /dev/udp/{network.BridgeAddress}/{port}"));
        Assert.Same(received, await Task.WhenAny(received, Task.Delay(Patience)));
        Assert.Equal("sent\n", System.Text.Encoding.ASCII.GetString((await received).Buffer));
        Assert.Equal(Reach.Silent, await ConnectAsync(host.Address, FreePort.Next()));

        network.Return(host);
        Assert.Equal(Reach.Refused, await ConnectAsync(host.Address, FreePort.Next()));
    }

    [NetnsFact]
    public void ACutFromZooKeeperDropsOnlyZooKeepersPorts()
    {
        using var network = HostNetwork.Create(1);
        var host = network.Hosts[0];
        var address = IPAddress.Parse(network.BridgeAddress);
        var zooKeeper = new TcpListener(address, 0);
        var other = new TcpListener(address, 0);
        zooKeeper.Start();
        other.Start();
        try
        {
            int zooKeeperPort = ((IPEndPoint)zooKeeper.LocalEndpoint).Port, otherPort = ((IPEndPoint)other.LocalEndpoint).Port;
            network.ZooKeeperPorts = [zooKeeperPort];
            network.CutFromZooKeeper(host);
            Assert.NotEqual(0, InHost(host, $"exec 3<>/dev/tcp/{network.BridgeAddress}/{zooKeeperPort}"));
            Assert.Equal(0, InHost(host, $"exec 3<>/dev/tcp/{network.BridgeAddress}/{otherPort}"));

            network.Return(host);
            Assert.Equal(0, InHost(host, $"exec 3<>/dev/tcp/{network.BridgeAddress}/{zooKeeperPort}"));
        }
        finally
        {
            zooKeeper.Stop();
            other.Stop();
        }
    }

    [NetnsFact]
    public void DisposeRemovesTheNamespacesAndTheBridge()
    {
        string[] namespaces;
        string bridge;
        using (var network = HostNetwork.Create(2))
        {
            namespaces = network.Hosts.Select(h => h.Namespace).ToArray();
            bridge = network.Bridge;
            Assert.All(namespaces, n => Assert.Contains(n, Ip("netns", "list")));
        }
        Assert.All(namespaces, n => Assert.DoesNotContain(n, Ip("netns", "list")));
        Assert.DoesNotContain(bridge + ":", Ip("-o", "link", "show"));
    }

    private enum Reach { Connected, Refused, Silent }

    /// <summary>A TCP connect from the root namespace: refused at once (the host is there), or no answer at all.</summary>
    private static async Task<Reach> ConnectAsync(string address, int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await client.ConnectAsync(IPAddress.Parse(address), port, timeout.Token);
            return Reach.Connected;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return Reach.Refused;
        }
        catch (OperationCanceledException)
        {
            return Reach.Silent;
        }
    }

    /// <summary>Runs a bash line inside the host with a 2 s limit; its exit code (124 when it timed out).</summary>
    private static int InHost(NetworkHost host, string bash)
    {
        using var process = Process.Start(new ProcessStartInfo("ip", HostNetwork.ExecIn(host, "timeout", "2", "bash", "-c", bash)[1..])
        {
            UseShellExecute = false,
        })!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static string Ip(params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("ip", args) { RedirectStandardOutput = true, UseShellExecute = false })!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
