using System.Diagnostics;
using System.Net;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Web.Support;

/// <summary>
/// One real silo process (`dotnet OrleansFs.Silo.dll`) on free loopback ports with its own data
/// directories. Output goes to a log file that failures quote. Stopped by PID on dispose.
/// </summary>
public sealed class WebSilo : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _directory;

    private WebSilo(Process process, TempDirectory directory, int webPort, int dashboardPort, int siloPort, int gatewayPort)
    {
        _process = process;
        _directory = directory;
        WebPort = webPort;
        DashboardPort = dashboardPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public int WebPort { get; }
    public int DashboardPort { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public string WebUrl => $"http://127.0.0.1:{WebPort}";
    public string DashboardUrl => $"http://127.0.0.1:{DashboardPort}";
    public string Address => $"127.0.0.1:{SiloPort}";
    public string LogPath => _directory.Combine("silo.log");
    public bool HasExited => _process.HasExited;

    public static WebSilo Start(IEnumerable<string>? extraArgs = null, IDictionary<string, string>? environment = null)
    {
        var directory = new TempDirectory("ofs-web");
        int web = FreePort.Next(), dashboard = FreePort.Next(), silo = FreePort.Next(), gateway = FreePort.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in BaseArgs(directory, web, dashboard, silo, gateway).Concat(extraArgs ?? [])) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var started = new WebSilo(process, directory, web, dashboard, silo, gateway);
        started.CopyOutputToLog();
        return started;
    }

    private static IEnumerable<string> BaseArgs(TempDirectory directory, int web, int dashboard, int silo, int gateway) =>
    [
        SiloBinaries.SiloDll,
        "--contentRoot", SiloBinaries.SiloDirectory,
        $"--Web:Port={web}",
        $"--Dashboard:Port={dashboard}",
        $"--Silo:Port={silo}",
        $"--Silo:GatewayPort={gateway}",
        "--Silo:AdvertisedAddress=127.0.0.1",
        $"--Journal:Directory={directory.Combine("journal")}",
        $"--UnderStorage:Directory={directory.Combine("ufs")}",
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
    ];

    private void CopyOutputToLog()
    {
        var log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        void Write(string? line) { if (line is not null) lock (log) log.WriteLine(line); }
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits until the web interface answers, or fails quoting the silo's log.</summary>
    public async Task WaitForWebAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"silo exited with {_process.ExitCode}:\n{ReadLog()}");
            try
            {
                var response = await http.GetAsync($"{WebUrl}/api/v1/overview");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"silo web interface not up within {timeout}:\n{ReadLog()}");
    }

    /// <summary>Waits for the process to end by itself (for start-up validation failures).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException) { return ""; }
    }

    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _directory.Dispose();
    }
}
