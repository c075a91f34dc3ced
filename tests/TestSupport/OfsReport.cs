namespace OrleansFs.TestSupport;

/// <summary>`ofs report` against a ZooKeeper-clustered OrleansFs, polled until the cluster looks as a test expects.</summary>
public static class OfsReport
{
    /// <summary>Runs `ofs --zookeeper ... report` every second until <paramref name="done"/> holds or <paramref name="patience"/> runs out; returns the last report.</summary>
    public static Task<OfsResult> WaitAsync(string zooKeeper, TimeSpan patience, Func<OfsResult, bool> done) =>
        WaitAsync(["--zookeeper", zooKeeper], patience, done);

    /// <summary>The same, finding the cluster with <paramref name="clusterArguments"/> (e.g. `--postgres CONNSTR`).</summary>
    public static async Task<OfsResult> WaitAsync(string[] clusterArguments, TimeSpan patience, Func<OfsResult, bool> done)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var report = await OfsRunner.RunRawAsync([.. clusterArguments, "report"]);
            if ((report.ExitCode == 0 && done(report)) || DateTime.UtcNow > deadline) return report;
            await Task.Delay(1000);
        }
    }

    public static bool ShowsActive(OfsResult report, SiloProcess silo) =>
        report.StdoutLines.Any(l => l.StartsWith(silo.SiloAddress + " ") && l.Contains(" Active "));
}
