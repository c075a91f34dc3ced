using System.Diagnostics;
using OrleansFs.TestSupport;
using Xunit;

namespace OrleansFs.Tests;

/// <summary>
/// A silo started with bad configuration exits with code 2 and one line naming the setting, before it
/// writes anything: no journal, no under-storage directory. Every configuration section has at least one case.
/// </summary>
public sealed class SiloConfigurationTests
{
    [Theory]
    [InlineData("--Web:Port=70000", "Web:Port 70000 is not a TCP port")]
    [InlineData("--Dashboard:Port=SAME_AS_WEB", "Dashboard:Port are both")]
    [InlineData("--Silo:GatewayPort=SAME_AS_SILO", "Silo:Port and Silo:GatewayPort are both")]
    [InlineData("--Cluster:Membership=ZooKeeper", "ZooKeeper:ConnectionString is not set")]
    [InlineData("--Worker:MemoryBytes=-1", "Worker:MemoryBytes -1 must not be negative")]
    [InlineData("--Worker:DataPort=70000", "Worker:DataPort 70000 must be 0 (pick a free port) or a TCP port")]
    [InlineData("--Worker:ScrubInterval=-00:00:01", "Worker:ScrubInterval -00:00:01 must not be negative")]
    [InlineData("--Worker:ScrubBytesPerSecond=0", "Worker:ScrubBytesPerSecond 0 must be positive")]
    [InlineData("--Cluster:Id=", "Cluster:Id must not be empty")]
    [InlineData("--ZooKeeper:Auth=digest:hunter2", "ZooKeeper:Auth: digest auth must be written digest:user:password")]
    [InlineData("--Cluster:Membership=AdoNet", "Cluster:Membership=AdoNet is not a membership kind; for the membership table in PostgreSQL use Cluster:Membership=PostgreSql")]
    [InlineData("--Cluster:Membership=PostgreSql", "PostgreSql:ConnectionString must be set for Cluster:Membership=PostgreSql")]
    [InlineData("--Silo:ShutdownTimeout=-00:00:01", "Silo:ShutdownTimeout -00:00:01 must be positive")]
    [InlineData("--Silo:AdvertisedAddress=silo.example", "Silo:AdvertisedAddress 'silo.example' is not an IP address")]
    [InlineData("--Journal:Kind=Floppy", "Journal:Kind=Floppy is unknown")]
    [InlineData("--Journal:Kind=AdoNet", "Journal:Kind=AdoNet is not a journal kind; for the journal in PostgreSQL use Journal:Kind=PostgreSql")]
    [InlineData("--Journal:Kind=PostgreSql", "PostgreSql:ConnectionString must be set for Journal:Kind=PostgreSql")]
    [InlineData("--Master:TtlCheckPeriod=00:00:00", "Master:TtlCheckPeriod 00:00:00 must be positive")]
    [InlineData("--Worker:MemoryBytes=lots", "Failed to convert configuration value")]
    [InlineData("--UnderStorage:Directory= ", "UnderStorage:Directory must not be empty")]
    [InlineData("--Failover:NumMissedProbesLimit=0", "Failover:NumMissedProbesLimit 0 must be at least 1")]
    [InlineData("--Failover:ProbeTimeout=00:00:10", "Failover:ProbeTimeout 00:00:10 must not exceed Failover:MaxProbeTimeout 00:00:02")]
    [InlineData("--Web:GrainCallTimeout=00:00:00", "Web:GrainCallTimeout 00:00:00 must be positive")]
    [InlineData("--Dashboard:Host=0.0.0.0", "set Dashboard:AccessToken")]
    [InlineData("--Storage:Kind=Redis", "Storage:Kind must be Memory or PostgreSql, not 'Redis'")]
    [InlineData("--Storage:Kind=PostgreSql", "PostgreSql:ConnectionString must be set for Storage:Kind=PostgreSql")]
    [InlineData("--Storage:MasterReminderPeriod=00:00:00", "Storage:MasterReminderPeriod must be at least 00:00:01")]
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
        Assert.Contains(KeyOf(badArgument), lines[0]);
        Assert.False(Directory.Exists(journal), "a refused configuration must not create the journal");
        Assert.False(Directory.Exists(ufs), "a refused configuration must not create the under-storage");
    }

    [Fact]
    public async Task Bad_values_in_two_sections_are_named_on_one_line()
    {
        using var data = new TempDirectory("ofs-badconfig");
        var arguments = new List<string>
        {
            $"--Silo:Port={FreePort.Next()}", $"--Silo:GatewayPort={FreePort.Next()}", $"--Web:Port={FreePort.Next()}",
            $"--Dashboard:Port={FreePort.Next()}", $"--Journal:Directory={Path.Combine(data.Path, "journal")}",
            $"--UnderStorage:Directory={Path.Combine(data.Path, "ufs")}", "--Master:RetryCacheMaxEntries=0", "--Worker:DataPort=-1",
        };

        var (exitCode, stderr) = await RunSiloAsync(arguments, data.Path);

        Assert.Equal(2, exitCode);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("ofs-silo: configuration: ", line);
        Assert.Contains("Master:RetryCacheMaxEntries 0 must be positive", line);
        Assert.Contains("Worker:DataPort -1 must be 0", line);
    }

    /// <summary>`--Section:Key=value` → `Section:Key`.</summary>
    private static string KeyOf(string argument) => argument[2..argument.IndexOf('=')];

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
