using System.Diagnostics;
using OrleansFs.TestSupport;
using Xunit;

namespace OrleansFs.Tests;

/// <summary>
/// A silo started with bad configuration exits with code 2 and one line naming the setting, before it
/// writes anything: no journal, no under-storage directory.
/// </summary>
public sealed class SiloConfigurationTests
{
    [Theory]
    [InlineData("--Web:Port=70000", "Web:Port 70000 is not a TCP port")]
    [InlineData("--Dashboard:Port=SAME_AS_WEB", "Dashboard:Port are both")]
    [InlineData("--Silo:GatewayPort=SAME_AS_SILO", "Silo:Port and Silo:GatewayPort are both")]
    [InlineData("--Cluster:Membership=ZooKeeper", "ZooKeeper:ConnectionString is not set")]
    [InlineData("--Worker:MemoryBytes=-1", "Worker:MemoryBytes -1 must not be negative")]
    [InlineData("--Cluster:Id=", "Cluster:Id must not be empty")]
    [InlineData("--ZooKeeper:Auth=digest:hunter2", "ZooKeeper:Auth: digest auth must be written digest:user:password")]
    public async Task Bad_setting_exits_2_with_one_line_and_writes_nothing(string badArgument, string expected)
    {
        using var data = new TempDirectory("ofs-badconfig");
        int siloPort = FreePort.Next(), webPort = FreePort.Next();
        string journal = Path.Combine(data.Path, "journal"), ufs = Path.Combine(data.Path, "ufs");
        var arguments = new List<string>
        {
            $"--Silo:Port={siloPort}", $"--Silo:GatewayPort={FreePort.Next()}", $"--Web:Port={webPort}",
            $"--Dashboard:Port={FreePort.Next()}", $"--Journal:Directory={journal}", $"--UnderStorage:Directory={ufs}",
            badArgument.Replace("SAME_AS_WEB", webPort.ToString()).Replace("SAME_AS_SILO", siloPort.ToString()),
        };

        var (exitCode, stderr) = await RunSiloAsync(arguments, data.Path);

        Assert.Equal(2, exitCode);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("ofs-silo: configuration: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.False(Directory.Exists(journal), "a refused configuration must not create the journal");
        Assert.False(Directory.Exists(ufs), "a refused configuration must not create the under-storage");
    }

    private static async Task<(int ExitCode, string Stderr)> RunSiloAsync(IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(OfsBuildOutputs.SiloDll);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the silo did not refuse its configuration; it kept running. stdout:\n{await stdout}");
        }
        return (process.ExitCode, (await stderr).Trim());
    }
}
