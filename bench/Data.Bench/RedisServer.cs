using System.Diagnostics;
using OrleansFs.TestSupport;

namespace OrleansFs.Bench;

/// <summary>
/// A throw-away redis-server on a free loopback port, without persistence, stopped by its PID. When Debian's
/// redis-server or redis-benchmark (redis-tools) is missing they are installed first (apt-get install -y redis-server redis-tools).
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private const string Executable = "/usr/bin/redis-server";
    private readonly Process _process;

    public RedisServer()
    {
        if (!File.Exists(Executable) || !File.Exists(RedisBenchmark.Executable)) Install();
        Port = FreePort.Next();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.BeginOutputReadLine();
    }

    public int Port { get; }
    public int ProcessId => _process.Id;

    private static void Install()
    {
        Console.WriteLine("redis-server or redis-benchmark is missing: apt-get install -y redis-server redis-tools");
        foreach (var args in new[] { "update -q", "install -y -q redis-server redis-tools" })
        {
            using var apt = Process.Start(new ProcessStartInfo("apt-get", args) { UseShellExecute = false })
                            ?? throw new InvalidOperationException("apt-get did not start");
            apt.WaitForExit();
            if (apt.ExitCode != 0) throw new InvalidOperationException($"apt-get {args} failed with exit code {apt.ExitCode}");
        }
    }

    public void Dispose()
    {
        // Only the process this benchmark started, by its PID.
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
