using Microsoft.Playwright;
using System.Text.Json;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class OverviewPageTests(Browser browser, WebSiloFixture fixture)
{
    [Fact]
    public async Task Overview_names_the_silo_that_hosts_the_master()
    {
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync(fixture.Silo.WebUrl());
        await Browser.ScreenshotAsync(page, "overview");

        Assert.Equal(200, response!.Status);
        Assert.Equal(fixture.Silo.SiloAddress, await page.Locator("#leader").InnerTextAsync());
        Assert.True(long.Parse(await page.Locator("#epoch").InnerTextAsync()) >= 1);
        Assert.StartsWith(WebSiloFixture.ClusterId, await page.Locator("#cluster-id").InnerTextAsync());
        Assert.StartsWith(fixture.Silo.SiloAddress, await page.Locator("#this-silo").InnerTextAsync());
    }

    [Fact]
    public async Task Overview_api_reports_leader_namespace_and_journal_field_by_field()
    {
        await fixture.Client.WriteFileAsync($"/overview-{Guid.NewGuid():N}/counted.txt", new byte[100]);

        using var doc = JsonDocument.Parse(await fixture.Http.GetStringAsync("/api/v1/overview"));
        var o = doc.RootElement;
        Assert.Equal(WebSiloFixture.ClusterId, o.GetProperty("clusterId").GetString());
        Assert.Equal(WebSiloFixture.ClusterId, o.GetProperty("serviceId").GetString());
        Assert.Equal(fixture.Silo.SiloAddress, o.GetProperty("thisSilo").GetString());
        Assert.True(o.GetProperty("uptimeSeconds").GetDouble() > 0);
        Assert.InRange(o.GetProperty("startedAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow);
        Assert.Equal(JsonValueKind.Null, o.GetProperty("masterError").ValueKind);

        var master = o.GetProperty("master");
        Assert.Equal(fixture.Silo.SiloAddress, master.GetProperty("siloAddress").GetString());
        Assert.True(master.GetProperty("epoch").GetInt64() >= 1);
        Assert.InRange(master.GetProperty("activeSince").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow);

        Assert.True(o.GetProperty("fileCount").GetInt64() >= 1);
        Assert.True(o.GetProperty("directoryCount").GetInt64() >= 2); // the root and the new directory
        var journal = o.GetProperty("journal");
        Assert.Equal("Directory", journal.GetProperty("kind").GetString());
        Assert.Contains("journal", journal.GetProperty("location").GetString());
        Assert.True(journal.GetProperty("sequence").GetInt64() >= 2); // at least the directory and the file
        Assert.Equal(1, o.GetProperty("liveSilos").GetInt32());
        Assert.Equal(0, o.GetProperty("deadSilos").GetInt32());
        var memory = o.GetProperty("tiers").EnumerateArray().Single(t => t.GetProperty("tier").GetString() == "MEM");
        Assert.True(memory.GetProperty("capacityBytes").GetInt64() > 0);
        Assert.InRange(memory.GetProperty("usedBytes").GetInt64(), 100, memory.GetProperty("capacityBytes").GetInt64());
    }

    [Fact]
    public async Task Every_page_in_the_navigation_renders()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(fixture.Silo.WebUrl());
        string[] titles = ["Overview", "Browse /", "In-Memory Files", "Workers", "Lineage", "Configuration", "Metrics", "Failover Timeline"];
        var links = page.Locator("header nav a");
        Assert.Equal(titles.Length, await links.CountAsync());
        for (int i = 0; i < titles.Length; i++)
        {
            var link = page.Locator("header nav a").Nth(i);
            // Wait for the navigation this click starts (a bare WaitForLoadState after the click raced it).
            await page.RunAndWaitForNavigationAsync(() => link.ClickAsync(),
                new() { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = 60_000 });
            Assert.Equal(titles[i], await page.Locator("h1").InnerTextAsync());
            Assert.Equal(0, await page.Locator(".error").CountAsync());
        }
        await Browser.ScreenshotAsync(page, "timeline");
    }
}
