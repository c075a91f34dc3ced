using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace OrleansFs.TestSupport;

/// <summary>
/// One real ZooKeeper 3.8 server (Debian's package) run as a child java process with its own zoo.cfg, data
/// directory and log file. It can be killed with SIGKILL and started again on the same ports and data.
/// </summary>
public sealed class ZooKeeperServer : IAsyncDisposable
{
    public const string ZooKeeperJar = "/usr/share/java/zookeeper.jar";
    private const string LoggingJar = "/usr/share/java/slf4j-simple.jar";

    private Process? _process;

    internal ZooKeeperServer(int myId, string directory, int clientPort, string configText, int? securePort = null, string clientAddress = "127.0.0.1")
    {
        MyId = myId;
        ClientAddress = clientAddress;
        Directory = directory;
        ClientPort = clientPort;
        SecurePort = securePort;
        System.IO.Directory.CreateDirectory(DataDirectory);
        File.WriteAllText(System.IO.Path.Combine(DataDirectory, "myid"), myId.ToString());
        File.WriteAllText(ConfigPath, configText);
    }

    public int MyId { get; }
    public int ClientPort { get; }

    /// <summary>The address the client ports listen on: loopback, or a test network's bridge address.</summary>
    public string ClientAddress { get; }

    /// <summary>The TLS client port, when the server was started with TLS.</summary>
    public int? SecurePort { get; }
    public string Directory { get; }
    public string DataDirectory => System.IO.Path.Combine(Directory, "data");
    public string ConfigPath => System.IO.Path.Combine(Directory, "zoo.cfg");
    public string LogPath => System.IO.Path.Combine(Directory, "server.log");
    public string Endpoint => $"{ClientAddress}:{ClientPort}";
    public string SecureEndpoint => $"{ClientAddress}:{SecurePort ?? throw new InvalidOperationException("this server has no secure client port")}";
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the java process (in the background; see <see cref="WaitServingAsync"/>).</summary>
    public void Start()
    {
        if (IsRunning) return;
        EnsureInstalled();
        var classPath = $"/etc/zookeeper/conf:{ZooKeeperJar}:{LoggingJar}";
        if (SecurePort is not null) classPath += ":" + string.Join(":", Tls.ZooKeeperServerTls.ExtraJars.Where(File.Exists));
        // exec keeps the PID: killing it kills java itself, not a shell.
        var command = $"exec java {ZooKeeperEnsemble.Options.JvmOptions} -cp {classPath} " +
                      $"org.apache.zookeeper.server.quorum.QuorumPeerMain '{ConfigPath}' >> '{LogPath}' 2>&1 < /dev/null";
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start java for ZooKeeper");
    }

    /// <summary>SIGKILL: the server gets no chance to say goodbye to its peers or clients.</summary>
    public void Kill()
    {
        if (_process is null) return;
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Waits until the server answers <c>srvr</c> with a Mode line (it is serving) and returns the mode.</summary>
    public async Task<string> WaitServingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is { HasExited: true })
                throw new InvalidOperationException($"ZooKeeper {MyId} exited with {_process.ExitCode}; see {LogPath}:\n{Tail()}");
            var mode = await TryGetModeAsync();
            if (mode is not null) return mode;
            await Task.Delay(50);
        }
        throw new TimeoutException($"ZooKeeper {MyId} on port {ClientPort} was not serving after {timeout.TotalSeconds} s; see {LogPath}:\n{Tail()}");
    }

    /// <summary>The <c>Mode:</c> from <c>srvr</c> (standalone, leader, follower), or null when not serving.</summary>
    public async Task<string?> TryGetModeAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(ClientAddress, ClientPort, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("srvr"u8.ToArray(), cts.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var text = await reader.ReadToEndAsync(cts.Token);
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("Mode: ", StringComparison.Ordinal)) return line[6..].Trim();
            }
            return null;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    public string Tail(int lines = 30)
    {
        try
        {
            return string.Join('\n', File.ReadAllLines(LogPath).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited)
            {
                Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try
                {
                    await _process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill();
                }
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _process = null;
    }

    private static void EnsureInstalled()
    {
        if (!File.Exists(ZooKeeperJar))
            throw new InvalidOperationException(
                $"{ZooKeeperJar} is missing. Install ZooKeeper: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends zookeeper");
    }
}
