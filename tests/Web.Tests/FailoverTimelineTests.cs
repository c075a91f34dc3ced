using System.Text.Json;
using OrleansFs.TestSupport;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

/// <summary>
/// Two silos on ZooKeeper membership sharing a journal directory: SIGKILL the master's silo, then the
/// survivor's own web interface names it as the new leader and its timeline shows the move.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class FailoverTimelineTests(Browser browser)
{
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task After_the_masters_silo_is_killed_another_silos_overview_names_the_new_leader_and_the_timeline_shows_the_move()
    {
        await using var zk = await ZooKeeperEnsemble.StartStandaloneAsync();
        using var shared = new TempDirectory("ofs-web-failover");
        string[] args =
        [
            "--Cluster:Membership=ZooKeeper",
            $"--ZooKeeper:ConnectionString={zk.ConnectionString}/web-failover-{Guid.NewGuid():N}",
            $"--Journal:Directory={shared.Combine("journal")}",
            $"--UnderStorage:Directory={shared.Combine("ufs")}",
        ];
        await using var first = await SiloProcess.StartAsync(args);
        await using var second = await SiloProcess.StartAsync(args);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var before = await MasterAsync(http, second);
        Assert.NotNull(before);
        var (victim, survivor) = before.Value.Silo == first.SiloAddress ? (first, second) : (second, first);
        Assert.Equal(victim.SiloAddress, before.Value.Silo);

        // From before the signal: Kill() returns only once the process is reaped, and the survivor may have seen it
        // gone (and begun measuring detection) before that.
        var sinceKill = System.Diagnostics.Stopwatch.StartNew();
        victim.Kill();
        var after = await WaitForLeaderAsync(http, survivor);
        var killToServing = sinceKill.Elapsed;
        Assert.Equal(survivor.SiloAddress, after.Silo);
        Assert.True(after.Epoch > before.Value.Epoch, $"epoch {after.Epoch} after {before.Value.Epoch}");

        var page = await browser.NewPageAsync();
        await page.GotoAsync(survivor.WebUrl());
        await Browser.ScreenshotAsync(page, "failover-overview");
        Assert.Equal(survivor.SiloAddress, await page.Locator("#leader").InnerTextAsync());
        Assert.Equal(after.Epoch.ToString(), await page.Locator("#epoch").InnerTextAsync());

        await page.GotoAsync($"{survivor.WebUrl()}/timeline");
        await Browser.ScreenshotAsync(page, "failover-timeline");
        var newest = page.Locator("#timeline tbody tr").First;
        Assert.Equal(after.Epoch.ToString(), await newest.Locator("td").First.InnerTextAsync());
        Assert.Equal(survivor.SiloAddress, await newest.Locator("td.silo").InnerTextAsync());
        Assert.Equal(victim.SiloAddress, await newest.Locator("td.previous").InnerTextAsync());
        Assert.Equal("silo failed", await newest.Locator("td.cause").InnerTextAsync());
        Assert.Matches(@"^\d+(\.\d+)? (ms|s)$", await newest.Locator("td.detection").InnerTextAsync());

        // The same move in the API: detection is not negative and shorter than the kill-to-serving time seen here.
        using (var timeline = JsonDocument.Parse(await http.GetStringAsync($"{survivor.WebUrl()}/api/v1/timeline")))
        {
            var move = timeline.RootElement.GetProperty("takeovers")[0];
            Assert.Equal(after.Epoch, move.GetProperty("epoch").GetInt64());
            Assert.Equal("SiloFailed", move.GetProperty("cause").GetString());
            double detectionMs = move.GetProperty("detectionMilliseconds").GetDouble();
            Assert.True(detectionMs >= 0 && detectionMs < killToServing.TotalMilliseconds,
                $"detection {detectionMs} ms, kill to the survivor serving {killToServing.TotalMilliseconds:F0} ms; log:\n{survivor.ReadLog()}");
        }

        // The picture: one bar per takeover, the newest labelled with both silos and the cause, split into
        // detection and recovery in proportion to the API's numbers.
        await AssertFailoverChartAsync(page, http, survivor, victim, after.Epoch);

        await page.GotoAsync($"{survivor.WebUrl()}/workers");
        await Browser.ScreenshotAsync(page, "failover-workers");
        var dead = page.Locator("#workers tbody tr", new() { HasTextString = victim.SiloAddress });
        await Assertions.WaitForTextAsync(dead.Locator("td.status").First, "Dead", FailoverTimeout);
    }

    private static async Task AssertFailoverChartAsync(Microsoft.Playwright.IPage page, HttpClient http, SiloProcess survivor, SiloProcess victim, long epoch)
    {
        using var timeline = JsonDocument.Parse(await http.GetStringAsync($"{survivor.WebUrl()}/api/v1/timeline"));
        var takeovers = timeline.RootElement.GetProperty("takeovers");
        Assert.True(takeovers.GetArrayLength() >= 2, "the first start and the move are both recorded");
        Assert.Equal(takeovers.GetArrayLength(), await page.Locator("#failover-chart g.takeover").CountAsync());

        var bar = page.Locator($"#failover-chart g.takeover[data-epoch=\"{epoch}\"]");
        Assert.Equal(survivor.SiloAddress, await bar.GetAttributeAsync("data-silo"));
        Assert.Equal(victim.SiloAddress, await bar.GetAttributeAsync("data-previous"));
        Assert.Equal("SiloFailed", await bar.GetAttributeAsync("data-cause"));
        Assert.Contains($"{victim.SiloAddress} → {survivor.SiloAddress} (silo failed)", await bar.Locator("text.label").TextContentAsync());

        var move = takeovers[0];
        double detection = move.GetProperty("detectionMilliseconds").GetDouble();
        double recovery = move.GetProperty("recoveryMilliseconds").GetDouble();
        Assert.Equal(1, await bar.Locator("rect.recovery").CountAsync());
        Assert.Equal(detection > 0 ? 1 : 0, await bar.Locator("rect.detection").CountAsync());
        if (detection > 0 && recovery > 0)
        {
            double detectionWidth = double.Parse((await bar.Locator("rect.detection").GetAttributeAsync("width"))!, System.Globalization.CultureInfo.InvariantCulture);
            double recoveryWidth = double.Parse((await bar.Locator("rect.recovery").GetAttributeAsync("width"))!, System.Globalization.CultureInfo.InvariantCulture);
            // Widths are rounded to 0.01 px and a recovery bar is at least 2 px wide.
            if (recoveryWidth > 2) Assert.Equal(detection / recovery, detectionWidth / recoveryWidth, 0.05 * detection / recovery + 0.01);
        }
    }

    private static async Task<(string Silo, long Epoch)?> MasterAsync(HttpClient http, SiloProcess silo)
    {
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"{silo.WebUrl()}/api/v1/overview"));
            var master = doc.RootElement.GetProperty("master");
            if (master.ValueKind == JsonValueKind.Null) return null;
            return (master.GetProperty("siloAddress").GetString()!, master.GetProperty("epoch").GetInt64());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Asks the survivor's web interface until it names itself: the master re-activated there.</summary>
    private static async Task<(string Silo, long Epoch)> WaitForLeaderAsync(HttpClient http, SiloProcess survivor)
    {
        var deadline = DateTime.UtcNow + FailoverTimeout;
        (string Silo, long Epoch)? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await MasterAsync(http, survivor);
            if (last?.Silo == survivor.SiloAddress) return last.Value;
            await Task.Delay(500);
        }
        throw new TimeoutException($"{survivor.SiloAddress} did not become the master within {FailoverTimeout}; last seen {last}; log:\n{survivor.ReadLog()}");
    }
}
