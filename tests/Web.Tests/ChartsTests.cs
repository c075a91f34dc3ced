using System.Text.Json;
using Microsoft.Playwright;
using OrleansFs.Files;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

/// <summary>
/// The pictures: the Metrics page's charts take new samples after a workload without a reload (read from the
/// uPlot instances' data, not pixels), the capacity bars carry /api/v1/workers' numbers, no page asks anything
/// of another origin, and without JavaScript the pages keep their tables and server-drawn pictures.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ChartsTests(Browser browser, WebSiloFixture fixture)
{
    private static readonly TimeSpan ChartTimeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Metrics_page_charts_take_new_samples_after_a_workload_without_reloading()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{fixture.Silo.WebUrl()}/metricsui");
        // A sample taken after now closes the interval of any earlier test's transfers: what comes later is this test's.
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var before = await WaitForChartAsync(page, "operations", c => c.Times.Length > 0 && c.Times[^1] > now);
        await page.EvaluateAsync("() => { window.ofsNotReloaded = true; }");

        string dir = $"/charts-{Guid.NewGuid():N}";
        for (int i = 0; i < 4; i++)
            await fixture.Client.WriteFileAsync($"{dir}/f{i}", new byte[300_000], new CreateFileOptions { WriteType = WriteType.MustCache }, shortCircuit: false);

        long lastBefore = before.Times.Length == 0 ? 0 : before.Times[^1];
        var ops = await WaitForChartAsync(page, "operations",
            c => c.Times.Length > before.Times.Length && c.Newer(lastBefore, "all").Any(v => v > 0) && c.Labels.Contains("CreateFile"));
        const double written = 4 * 300_000;
        var bytes = await WaitForChartAsync(page, "bytes", c => c.Integral(lastBefore, "written") >= written - 1);
        await Browser.ScreenshotAsync(page, "charts-metrics");

        Assert.True(await page.EvaluateAsync<bool>("() => window.ofsNotReloaded === true"), "the page reloaded instead of refreshing its charts");
        Assert.True(ops.Times.Length > before.Times.Length, $"{ops.Times.Length} samples after, {before.Times.Length} before");
        // Every byte written over the data endpoint, once: the rates times their intervals add up to them.
        Assert.InRange(bytes.Integral(lastBefore, "written"), written - 1, written + 1);
        Assert.Equal(await page.Locator("#chart-journal").GetAttributeAsync("data-samples"), ops.Times.Length.ToString());
    }

    [Fact]
    public async Task Capacity_bars_carry_the_numbers_of_the_workers_api()
    {
        await fixture.Client.WriteFileAsync($"/charts-pinned-{Guid.NewGuid():N}", new byte[200_000],
            new CreateFileOptions { WriteType = WriteType.MustCache, Pinned = true }, shortCircuit: false);
        var page = await browser.NewPageAsync();
        var (tiers, bars) = await ReadStableAsync(page);
        await Browser.ScreenshotAsync(page, "charts-capacity");

        Assert.NotEmpty(tiers);
        Assert.Equal(tiers.Count, bars.Count);
        foreach (var tier in tiers)
        {
            var bar = Assert.Single(bars, b => b.Silo == tier.Silo && b.Tier == tier.Tier);
            Assert.Equal(tier, bar);
        }
        var self = Assert.Single(tiers, t => t.Silo == fixture.Silo.SiloAddress && t.Tier == "MEM");
        Assert.True(self.Unevictable >= 200_000, $"the pinned file's bytes are not counted as unevictable: {self}");
        Assert.Equal(self.Capacity - self.Used, self.Free);

        // The bar's segments are drawn to those numbers' share of the capacity.
        var row = page.Locator($".capacity .bar[data-silo=\"{self.Silo}\"][data-tier=\"MEM\"]");
        double width = (await row.BoundingBoxAsync())!.Width;
        double pinned = (await row.Locator(".unevictable").BoundingBoxAsync())!.Width;
        Assert.InRange(pinned, width * self.Unevictable / self.Capacity - 1, width * self.Unevictable / self.Capacity + 1);
    }

    [Fact]
    public async Task No_page_requests_anything_from_another_origin()
    {
        string file = $"/charts-origin-{Guid.NewGuid():N}";
        await fixture.Client.WriteFileAsync(file, new byte[1000]);
        string origin = fixture.Silo.WebUrl();
        var page = await browser.NewPageAsync();
        var requests = new List<string>();
        var failures = new List<string>();
        page.Request += (_, r) => { lock (requests) requests.Add(r.Url); };
        page.RequestFailed += (_, r) => { lock (failures) failures.Add($"{r.Url}: {r.Failure}"); };
        page.Response += (_, r) => { if (r.Status >= 400) lock (failures) failures.Add($"{r.Url}: {r.Status}"); };

        foreach (var (path, name) in Pages(file))
        {
            await page.GotoAsync(origin + path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
            if (await page.Locator("[data-chart]").CountAsync() > 0)
                await Support.Assertions.WaitForTextPrefixAsync(page.Locator("[data-chart-status]"), "Cluster-wide", TimeSpan.FromSeconds(20));
            await Browser.ScreenshotAsync(page, "page-" + name);
        }

        lock (requests)
        {
            Assert.Contains(requests, r => r.EndsWith("/static/uplot/uPlot.iife.min.js", StringComparison.Ordinal));
            Assert.Contains(requests, r => r.Contains("/api/v1/metrics/series", StringComparison.Ordinal));
            Assert.All(requests, r => Assert.StartsWith(origin + "/", r));
        }
        lock (failures) Assert.Empty(failures);
    }

    [Fact]
    public async Task Without_javascript_the_pages_keep_their_tables_and_server_drawn_pictures()
    {
        var page = await browser.NewPageAsync(javaScript: false);
        await page.GotoAsync($"{fixture.Silo.WebUrl()}/metricsui");
        await Browser.ScreenshotAsync(page, "charts-metrics-no-javascript");
        Assert.True(await page.Locator("#instruments tbody tr").CountAsync() > 0);
        Assert.Contains("/api/v1/metrics/series", await page.Locator("noscript").First.InnerHTMLAsync());

        await page.GotoAsync($"{fixture.Silo.WebUrl()}/workers");
        Assert.Equal(1, await page.Locator("#workers tbody tr", new() { HasTextString = fixture.Silo.SiloAddress }).CountAsync());
        Assert.True(await page.Locator(".capacity .bar").CountAsync() > 0);

        await page.GotoAsync($"{fixture.Silo.WebUrl()}/timeline");
        Assert.Equal(await page.Locator("#timeline tbody tr").CountAsync(), await page.Locator("#failover-chart g.takeover").CountAsync());
    }

    private static (string Path, string Name)[] Pages(string file) =>
    [
        ("/", "overview"), ("/browse?path=/", "browse"), ("/file?path=" + Uri.EscapeDataString(file), "file"),
        ("/inmemory", "inmemory"), ("/workers", "workers"), ("/lineage", "lineage"), ("/config", "configuration"),
        ("/metricsui", "metrics"), ("/timeline", "timeline"),
    ];

    /// <summary>Reads the API, the page, and the API again until both API reads agree (a block may persist meanwhile).</summary>
    private async Task<(List<TierNumbers> Api, List<TierNumbers> Page)> ReadStableAsync(IPage page)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var first = await ApiTiersAsync();
            await page.GotoAsync($"{fixture.Silo.WebUrl()}/workers");
            var bars = await BarsAsync(page);
            var second = await ApiTiersAsync();
            if (first.SequenceEqual(second) || DateTime.UtcNow > deadline) return (second, bars);
        }
    }

    private async Task<List<TierNumbers>> ApiTiersAsync()
    {
        using var doc = JsonDocument.Parse(await fixture.Http.GetStringAsync("/api/v1/workers"));
        return doc.RootElement.GetProperty("workers").EnumerateArray()
            .Where(w => w.GetProperty("tiers").ValueKind == JsonValueKind.Array)
            .SelectMany(w => w.GetProperty("tiers").EnumerateArray().Select(t => new TierNumbers(
                w.GetProperty("address").GetString()!, t.GetProperty("tier").GetString()!,
                t.GetProperty("capacityBytes").GetInt64(), t.GetProperty("usedBytes").GetInt64(),
                t.GetProperty("unevictableBytes").GetInt64(), t.GetProperty("freeBytes").GetInt64())))
            .ToList();
    }

    private static async Task<List<TierNumbers>> BarsAsync(IPage page)
    {
        var bars = new List<TierNumbers>();
        foreach (var bar in await page.Locator(".capacity .bar").AllAsync())
        {
            async Task<long> Number(string name) => long.Parse((await bar.GetAttributeAsync("data-" + name))!);
            bars.Add(new TierNumbers((await bar.GetAttributeAsync("data-silo"))!, (await bar.GetAttributeAsync("data-tier"))!,
                await Number("capacity"), await Number("used"), await Number("unevictable"), await Number("free")));
        }
        return bars;
    }

    /// <summary>Polls one chart's drawn data (window.ofsCharts, the page's uPlot instances) until <paramref name="done"/>.</summary>
    private static async Task<ChartData> WaitForChartAsync(IPage page, string chart, Func<ChartData, bool> done)
    {
        var deadline = DateTime.UtcNow + ChartTimeout;
        ChartData? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await ReadChartAsync(page, chart);
            if (last is not null && done(last)) return last;
            await Task.Delay(1000);
        }
        throw new TimeoutException($"chart {chart} did not show the expected data within {ChartTimeout}: {last}");
    }

    private static async Task<ChartData?> ReadChartAsync(IPage page, string chart)
    {
        var json = await page.EvaluateAsync<JsonElement>(
            "chart => { const c = window.ofsCharts && window.ofsCharts[chart]; " +
            "return c ? { labels: c.plot.series.map(s => s.label || ''), data: c.plot.data } : null; }", chart);
        if (json.ValueKind == JsonValueKind.Null) return null;
        var labels = json.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToArray();
        var data = json.GetProperty("data").EnumerateArray()
            .Select(series => series.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null).ToArray())
            .ToArray();
        return new ChartData(labels, data);
    }

    private sealed record TierNumbers(string Silo, string Tier, long Capacity, long Used, long Unevictable, long Free);

    /// <summary>uPlot's data: the first array is the times (Unix seconds), then one array per labelled line.</summary>
    private sealed record ChartData(string[] Labels, double?[][] Data)
    {
        public long[] Times => Data[0].Select(t => (long)(t!.Value * 1000)).ToArray();

        /// <summary>The line's values at times after <paramref name="afterMs"/>.</summary>
        public IEnumerable<double> Newer(long afterMs, string line)
        {
            int index = Array.IndexOf(Labels, line);
            if (index < 1) return [];
            var times = Times;
            return Enumerable.Range(0, times.Length).Where(i => times[i] > afterMs).Select(i => Data[index][i] ?? 0);
        }

        /// <summary>The line's rates after <paramref name="afterMs"/> times the seconds each covers: what it counted then.</summary>
        public double Integral(long afterMs, string line)
        {
            int index = Array.IndexOf(Labels, line);
            if (index < 1) return 0;
            var times = Times;
            double sum = 0;
            for (int i = 1; i < times.Length; i++)
                if (times[i] > afterMs) sum += (Data[index][i] ?? 0) * (times[i] - times[i - 1]) / 1000.0;
            return sum;
        }

        public override string ToString() => $"labels [{string.Join(", ", Labels)}], {Data[0].Length} samples, " +
            string.Join("; ", Labels.Skip(1).Select((l, i) => $"{l}: {string.Join(",", Data[i + 1].TakeLast(6))}"));
    }
}
