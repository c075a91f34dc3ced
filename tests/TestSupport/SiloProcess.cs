using System.Diagnostics;
using System.Net.Http;
using System.Runtime.InteropServices;
using OrleansFs.Tests.Network;

namespace OrleansFs.TestSupport;

/// <summary>
/// A real silo process (`dotnet OrleansFs.Silo.dll`) on free ports with its own data directory. Its
/// output goes to a log file. <see cref="Kill"/> is SIGKILL; <see cref="StopAsync"/> is SIGTERM and a wait;
/// <see cref="RestartAsync"/> starts it again with the same configuration and data. Given a <see cref="NetworkHost"/>,
/// it runs inside that host's network namespace (`ip netns exec`), advertised and reached on the host's address.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const string CaPathArgument = "--Security:CaPath=";
    private static readonly HttpClient PlainHttp = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly TempDirectory? _ownedDirectory;
    private readonly List<string> _arguments;
    private readonly string? _ownedMemoryDirectory;
    private readonly NetworkHost? _host;
    private Process? _process;
    private StreamWriter? _log;
    private int _starts;
    private HttpClient? _tlsHttp;

    private SiloProcess(string dataDirectory, TempDirectory? owned, IEnumerable<string> extraArguments, NetworkHost? host)
    {
        _ownedDirectory = owned;
        _host = host;
        DataDirectory = dataDirectory;
        SiloPort = FreePort.Next();
        GatewayPort = FreePort.Next();
        WebPort = FreePort.Next();
        DashboardPort = FreePort.Next();
        _arguments =
        [
            $"--Silo:Port={SiloPort}", $"--Silo:GatewayPort={GatewayPort}", $"--Silo:AdvertisedAddress={Address}",
            $"--Web:Port={WebPort}", $"--Dashboard:Port={DashboardPort}",
            $"--Journal:Directory={JournalDirectory}", $"--UnderStorage:Directory={Path.Combine(DataDirectory, "ufs")}",
            .. extraArguments,
        ];
        // The memory tier defaults to /dev/shm/orleansfs/<name>, which outlives the test and holds RAM: give
        // every test silo its own tmpfs directory (kept across restarts) and remove it on dispose.
        if (!_arguments.Any(a => a.StartsWith("--Worker:MemoryDirectory=", StringComparison.Ordinal)))
        {
            _ownedMemoryDirectory = Directory.Exists("/dev/shm")
                ? Path.Combine("/dev/shm", $"ofs-test-{Guid.NewGuid():N}")
                : Path.Combine(DataDirectory, "memory");
            _arguments.Add($"--Worker:MemoryDirectory={_ownedMemoryDirectory}");
        }
    }

    public int SiloPort { get; }
    public int GatewayPort { get; }
    public int WebPort { get; }
    public int DashboardPort { get; }
    public string DataDirectory { get; }
    /// <summary>The network namespace the silo runs in, or null on loopback.</summary>
    public NetworkHost? Host => _host;
    /// <summary>The silo's IP address: its host's, or 127.0.0.1.</summary>
    public string Address => _host?.Address ?? "127.0.0.1";
    /// <summary>Variables added to the silo's environment (which its command-line lineage jobs inherit) at each start.</summary>
    public Dictionary<string, string> Environment { get; } = new();
    public string JournalDirectory => Path.Combine(DataDirectory, "journal");
    public string LogPath => Path.Combine(DataDirectory, "silo.log");
    public string Gateway => $"{Address}:{GatewayPort}";
    public string SiloAddress => $"{Address}:{SiloPort}";
    /// <summary>https when the silo was started with `--Security:Enabled=true` (its web interface serves TLS then).</summary>
    public Uri WebAddress => new($"{(UsesTls ? "https" : "http")}://{Address}:{WebPort}/");
    public bool UsesTls => _arguments.Contains("--Security:Enabled=true", StringComparer.OrdinalIgnoreCase);
    /// <summary>The CA the silo trusts (`--Security:CaPath=`), which also signs its certificate in the tests.</summary>
    public string? CaPath => _arguments.LastOrDefault(a => a.StartsWith(CaPathArgument, StringComparison.OrdinalIgnoreCase))?[CaPathArgument.Length..];
    public int ProcessId => _process?.Id ?? 0;
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a silo and waits until its master answers. Extra arguments are `--Section:Key=value`.</summary>
    public static async Task<SiloProcess> StartAsync(IEnumerable<string>? extraArguments = null, string? dataDirectory = null)
    {
        var silo = Create(extraArguments, dataDirectory);
        try
        {
            await silo.StartProcessAsync();
        }
        catch
        {
            // Nobody holds the silo yet to dispose it: stop the process here so it does not outlive the test.
            await silo.DisposeAsync();
            throw;
        }
        return silo;
    }

    /// <summary>
    /// A silo with its ports chosen but no process yet: start it with <see cref="StartProcessAsync"/>. With
    /// <paramref name="host"/> it will run in that host's network namespace.
    /// </summary>
    public static SiloProcess Create(IEnumerable<string>? extraArguments = null, string? dataDirectory = null, NetworkHost? host = null)
    {
        var owned = dataDirectory is null ? new TempDirectory("ofs-silo") : null;
        return new SiloProcess(dataDirectory ?? owned!.Path, owned, extraArguments ?? [], host);
    }

    /// <summary>Starts the process and waits for /health/ready (the master has recovered).</summary>
    public async Task StartProcessAsync(TimeSpan? readyTimeout = null)
    {
        if (IsRunning) throw new InvalidOperationException("the silo is already running");
        Directory.CreateDirectory(DataDirectory);
        _log?.Dispose();
        _log = new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        _log.WriteLine($"===== start {++_starts}{(_host is null ? "" : $" in {_host}")}: dotnet {OfsBuildOutputs.SiloDll} {string.Join(' ', _arguments)}");
        // `ip netns exec` execs dotnet in place (no fork), so the process's PID is the silo's own: kills stay by PID.
        var start = new ProcessStartInfo(_host is null ? "dotnet" : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        if (_host is not null)
            foreach (string arg in (string[])["netns", "exec", _host.Namespace, "dotnet"]) start.ArgumentList.Add(arg);
        start.ArgumentList.Add(OfsBuildOutputs.SiloDll);
        foreach (string arg in _arguments) start.ArgumentList.Add(arg);
        foreach (var (name, value) in Environment) start.Environment[name] = value;
        var process = new Process { StartInfo = start };
        var log = _log;
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        // Generous: on a loaded 2-core machine a cold start (JIT, Orleans start-up, journal recovery) can take minutes.
        await WaitReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(240));
    }

    public Task WaitReadyAsync(TimeSpan timeout) => WaitHealthyAsync("health/ready", "ready", timeout);

    /// <summary>Waits until /health/standby says this silo could take the master over from its warm standby.</summary>
    public Task WaitStandbyAsync(TimeSpan timeout) => WaitHealthyAsync("health/standby", "caught up with its warm standby", timeout);

    /// <summary>Polls a health endpoint of this silo until it answers 200; fails at once if the process exits.</summary>
    private async Task WaitHealthyAsync(string path, string state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (_process is null || _process.HasExited)
                throw new InvalidOperationException($"the silo exited with {_process?.ExitCode} before it was {state}; log:\n{ReadLog()}");
            try
            {
                using var response = await Http.GetAsync(new Uri(WebAddress, path));
                if (response.IsSuccessStatusCode) return;
                last = await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException)
            {
                last = "no answer within the HTTP timeout";
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the silo {SiloAddress} was not {state} within {timeout} (last answer: {last}); log:\n{ReadLog()}");
    }

    /// <summary>An HTTP client for this silo's web interface: over TLS it trusts the silo's CA (and only it).</summary>
    public HttpClient Http => !UsesTls ? PlainHttp
        : _tlsHttp ??= Tls.CaTrustingHttp.Create(CaPath ?? throw new InvalidOperationException("a TLS silo in the tests needs --Security:CaPath"), TimeSpan.FromSeconds(10));

    /// <summary>SIGKILL: no shutdown code runs, as when a machine dies.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then waits for the process to exit; returns its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (_process is null) throw new InvalidOperationException("the silo was never started");
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
        timeout ??= TimeSpan.FromSeconds(120);
        using var cts = new CancellationTokenSource(timeout.Value);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"the silo did not stop within {timeout}; log:\n{ReadLog()}");
        }
        _process.WaitForExit(); // drains the output handlers
        return _process.ExitCode;
    }

    /// <summary>Starts the same silo again (same ports, same data) after a kill or stop.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning) await StopAsync();
        await StartProcessAsync();
    }

    public string ReadLog()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _tlsHttp?.Dispose();
        await Task.Yield();
        _log?.Dispose();
        _ownedDirectory?.Dispose();
        if (_ownedMemoryDirectory is not null && Directory.Exists(_ownedMemoryDirectory))
        {
            try { Directory.Delete(_ownedMemoryDirectory, recursive: true); }
            catch (IOException) { } // a block file still being closed by the dying process
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log)
        {
            try { log.WriteLine(line); } catch (ObjectDisposedException) { }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
