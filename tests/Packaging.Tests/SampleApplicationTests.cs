using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Packaging;

/// <summary>
/// A new console application that references only the OrleansFs.Client package (no project of this repository),
/// running the sample of docs/samples against real silos while the master's silo is SIGKILLed.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed partial class SampleApplicationTests(PackagingFixture fixture, ITestOutputHelper output)
{
    private const int Rounds = 12;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task AConsoleAppOnTheClientPackageWritesReadsAndListsThroughAMasterFailover()
    {
        var packages = fixture.Packages;
        string project = await CreateSampleProjectAsync(packages);

        var cluster = fixture.Cluster;
        using var sample = packages.Cli.Start(project, "dotnet",
            [Path.Combine(project, "bin", "Debug", "net10.0", "SampleApp.dll"),
             "--zookeeper", cluster.ZooKeeperConnectionString, "--rounds", $"{Rounds}", "--pause-ms", "300"]);
        var lines = new ConcurrentQueue<string>();
        var thirdRound = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        sample.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lines.Enqueue(e.Data);
            if (e.Data.StartsWith($"round 3/{Rounds}:", StringComparison.Ordinal)) thirdRound.TrySetResult(e.Data);
        };
        var stderr = sample.StandardError.ReadToEndAsync();
        sample.BeginOutputReadLine();
        try
        {
            string round3 = await thirdRound.Task.WaitAsync(RunTimeout);
            var victim = cluster.SiloAt(MasterOf(round3));
            victim.Kill();
            output.WriteLine($"SIGKILL of the master's silo {victim.SiloAddress} after: {round3}");

            using var timeout = new CancellationTokenSource(RunTimeout);
            await sample.WaitForExitAsync(timeout.Token);
            sample.WaitForExit(); // drains the output handlers
            string printed = string.Join('\n', lines);
            output.WriteLine(printed);
            Assert.True(sample.ExitCode == 0, $"the sample exited with {sample.ExitCode}:\n{printed}\n{await stderr}");
            // A round already under way when the kill lands may still report the old master; from the first
            // round that reports the move on, every round is served by the new one.
            var afterFailover = lines.SkipWhile(l => !l.EndsWith($"(failover: the master moved from {victim.SiloAddress})", StringComparison.Ordinal)).ToList();
            Assert.True(afterFailover.Count > 0, $"no round reported the master moving away from {victim.SiloAddress}:\n{printed}");
            Assert.All(afterFailover.Where(l => l.StartsWith("round ", StringComparison.Ordinal)),
                l => Assert.DoesNotContain($"master {victim.SiloAddress} ", l));
            Assert.StartsWith($"done: {Rounds} rounds checked", lines.Last());
        }
        finally
        {
            if (!sample.HasExited) sample.Kill(entireProcessTree: true);
        }
    }

    /// <summary>`dotnet new console`, `dotnet add package OrleansFs.Client`, the sample's Program.cs, `dotnet build`.</summary>
    private async Task<string> CreateSampleProjectAsync(LocalPackages packages)
    {
        string project = Path.Combine(packages.WorkDirectory, $"sample-{Guid.NewGuid():N}");
        var cli = packages.Cli;
        await cli.DotnetAsync(packages.WorkDirectory, "new", "console", "--name", "SampleApp", "--output", project, "--no-restore");
        await cli.DotnetAsync(project, "add", "package", "OrleansFs.Client", "--version", packages.Version, "--source", packages.Folder);
        File.Copy(Path.Combine(OfsBuildOutputs.RepositoryRoot, "docs", "samples", "OrleansFs.Sample", "Program.cs"),
            Path.Combine(project, "Program.cs"), overwrite: true);
        var watch = Stopwatch.StartNew();
        await cli.DotnetAsync(project, "build", "-c", "Debug", "-nologo", "-v", "q", "-clp:ErrorsOnly");
        output.WriteLine($"the sample project built in {watch.Elapsed.TotalSeconds:0.0} s (pack took {packages.PackDuration.TotalSeconds:0.0} s)");

        string csproj = File.ReadAllText(Path.Combine(project, "SampleApp.csproj"));
        Assert.DoesNotContain("ProjectReference", csproj);
        Assert.Contains($"<PackageReference Include=\"OrleansFs.Client\" Version=\"{packages.Version}\" />", csproj);
        // The version made for this run: no OrleansFs.Client from any cache could have been used.
        Assert.Contains($"\"OrleansFs.Client/{packages.Version}\"", File.ReadAllText(Path.Combine(project, "obj", "project.assets.json")));
        return project;
    }

    private static string MasterOf(string roundLine) =>
        MasterPattern().Match(roundLine) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"no master in the sample's line: {roundLine}");

    [GeneratedRegex(@"master (\S+) epoch")]
    private static partial Regex MasterPattern();
}
