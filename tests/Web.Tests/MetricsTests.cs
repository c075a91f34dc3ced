using System.ComponentModel;
using System.Diagnostics;
using OrleansFs.Client.Streams;
using OrleansFs.Files;
using OrleansFs.Metrics;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

/// <summary>
/// Block bytes are counted once on every way they travel: by the silo on `/metrics` (grain calls and its
/// data endpoint; a same-host write when the client reports it) and by the client's own `OrleansFs.Client`
/// meter (every way, including same-host reads no silo sees). And `/metrics` is text Prometheus accepts.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class MetricsTests(WebSiloFixture fixture)
{
    private const string SiloRead = "ofs_read_bytes_total";
    private const string SiloWritten = "ofs_written_bytes_total";
    private static readonly string[] Ways = [MetricNames.Via.ShortCircuit, MetricNames.Via.DataEndpoint, MetricNames.Via.Grain];

    [Fact]
    public async Task Bytes_are_counted_once_on_each_path_by_the_silo_and_by_the_clients_meter()
    {
        byte[] content = RandomContent(2_621_440 + 123); // two full 1 MiB blocks and a short third
        string dir = $"/metrics-paths-{Guid.NewGuid():N}";
        var before = await FreshScrapeAsync();
        using var client = new ClientByteCounters();

        await fixture.Client.WriteFileAsync($"{dir}/same-host", content, Options());
        await fixture.Client.WriteFileAsync($"{dir}/endpoint", content, Options(), shortCircuit: false);
        await fixture.Client.WriteFileAsync($"{dir}/grain", content, Options(), shortCircuit: false, dataEndpoint: false);
        string file = $"{dir}/same-host";
        Assert.Equal(content, await fixture.Client.ReadFileAsync(file, new OpenFileOptions { DataEndpoint = false }));
        Assert.Equal(content, await fixture.Client.ReadFileAsync(file, new OpenFileOptions { ShortCircuit = false }));
        Assert.Equal(content, await fixture.Client.ReadFileAsync(file, new OpenFileOptions { ShortCircuit = false, DataEndpoint = false }));

        foreach (string via in Ways)
        {
            Assert.Equal((via, (long)content.Length), (via, client.Read(via)));
            Assert.Equal((via, (long)content.Length), (via, client.Written(via)));
        }

        // The exporter caches a scrape briefly: wait for the last transfer to show, then check them all.
        var after = await ScrapeUntilAsync(s => Delta(s, before, SiloRead, MetricNames.Via.Grain) >= content.Length);
        Assert.Equal(content.Length, Delta(after, before, SiloWritten, MetricNames.Via.ShortCircuit));
        Assert.Equal(content.Length, Delta(after, before, SiloWritten, MetricNames.Via.DataEndpoint));
        Assert.Equal(content.Length, Delta(after, before, SiloWritten, MetricNames.Via.Grain));
        // Locating a block for a data-endpoint or same-host read moves no bytes through the grain.
        Assert.Equal(content.Length, Delta(after, before, SiloRead, MetricNames.Via.DataEndpoint));
        Assert.Equal(content.Length, Delta(after, before, SiloRead, MetricNames.Via.Grain));
        Assert.Equal(0, after.Sum(SiloRead, (MetricNames.ViaTag, MetricNames.Via.ShortCircuit)));
    }

    [Fact]
    public async Task Promtool_finds_nothing_wrong_with_any_ofs_metric_on_a_live_silo()
    {
        string promtool = FindOnPath("promtool")
            ?? throw new InvalidOperationException("promtool is not installed (Debian package `prometheus`; ./test.sh installs it): this test cannot check /metrics without it");
        string path = $"/metrics-promtool-{Guid.NewGuid():N}";
        byte[] content = RandomContent(300_000);
        await fixture.Client.WriteFileAsync(path, content, Options(), shortCircuit: false);
        Assert.Equal(content, await fixture.Client.ReadFileAsync(path, new OpenFileOptions { ShortCircuit = false, DataEndpoint = false }));

        // Every OrleansFs series is there, so promtool sees each of them.
        var scrape = await ScrapeUntilAsync(s => s.Sum(SiloRead, (MetricNames.ViaTag, MetricNames.Via.Grain)) > 0);
        foreach (string family in new[] { "ofs_operations_total", SiloRead, SiloWritten, "ofs_journal_flush_duration_seconds_bucket" })
            Assert.True(scrape.Sum(family) > 0, $"{family} is missing from /metrics:\n{scrape.Text}");

        var complaints = await RunPromtoolAsync(promtool, scrape.Text);
        Assert.DoesNotContain(complaints, line => line.StartsWith("error", StringComparison.OrdinalIgnoreCase)); // e.g. "error while linting: text format parsing error"
        Assert.Empty(complaints.Where(line => line.StartsWith("ofs_", StringComparison.Ordinal)));
    }

    private static CreateFileOptions Options() => new() { BlockSizeBytes = 1024 * 1024, WriteType = WriteType.MustCache };

    private static byte[] RandomContent(int length)
    {
        byte[] content = new byte[length];
        Random.Shared.NextBytes(content);
        return content;
    }

    private static double Delta(PrometheusText after, PrometheusText before, string name, string via) =>
        after.Sum(name, (MetricNames.ViaTag, via)) - before.Sum(name, (MetricNames.ViaTag, via));

    private async Task<PrometheusText> ScrapeAsync() => new(await fixture.Http.GetStringAsync("/metrics"));

    /// <summary>
    /// A scrape that includes everything done before it: the exporter may answer from a copy up to 300 ms old
    /// (OpenTelemetry's ScrapeResponseCacheDurationMilliseconds), taken before an earlier test's last transfer.
    /// </summary>
    private async Task<PrometheusText> FreshScrapeAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        return await ScrapeAsync();
    }

    private async Task<PrometheusText> ScrapeUntilAsync(Func<PrometheusText, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var scrape = await ScrapeAsync();
        while (!done(scrape) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            scrape = await ScrapeAsync();
        }
        return scrape;
    }

    /// <summary>`promtool check metrics` reads the scrape on stdin and prints one line per problem.</summary>
    private static async Task<IReadOnlyList<string>> RunPromtoolAsync(string promtool, string text)
    {
        var start = new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new Win32Exception($"could not start {promtool}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (await output + "\n" + await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
