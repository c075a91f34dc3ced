using System.Text.Json;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class WorkersPageTests(Browser browser, WebSiloFixture fixture)
{
    [Fact]
    public async Task Workers_page_lists_the_running_silo_as_active()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{fixture.Silo.WebUrl()}/workers");
        await Browser.ScreenshotAsync(page, "workers");

        var row = page.Locator("#workers tbody tr", new() { HasTextString = fixture.Silo.SiloAddress });
        Assert.Equal(1, await row.CountAsync());
        Assert.Equal("Active", await row.Locator("td.status").InnerTextAsync());
        Assert.Contains("(this silo)", await row.InnerTextAsync());
        // A lone silo hosts the master, so its standby has handed its copy over.
        Assert.Equal("master", await row.Locator("td.standby").InnerTextAsync());
    }

    [Fact]
    public async Task Workers_api_reports_status_heartbeat_and_activations_field_by_field()
    {
        using var doc = JsonDocument.Parse(await fixture.Http.GetStringAsync("/api/v1/workers"));
        var workers = doc.RootElement.GetProperty("workers").EnumerateArray().ToList();
        var self = Assert.Single(workers, w => w.GetProperty("address").GetString() == fixture.Silo.SiloAddress);

        Assert.Equal("Active", self.GetProperty("status").GetString());
        Assert.True(self.GetProperty("isThisSilo").GetBoolean());
        Assert.False(string.IsNullOrEmpty(self.GetProperty("hostName").GetString()));
        var started = self.GetProperty("startTime").GetDateTimeOffset();
        var heartbeat = self.GetProperty("lastHeartbeat").GetDateTimeOffset();
        Assert.InRange(started, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow);
        Assert.InRange(heartbeat, started, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.True(self.GetProperty("activations").GetInt32() > 0);
        Assert.True(doc.RootElement.GetProperty("capacityReported").GetBoolean());
        Assert.True(self.GetProperty("capacityBytes").GetInt64() > 0);
        Assert.InRange(self.GetProperty("usedBytes").GetInt64(), 0, self.GetProperty("capacityBytes").GetInt64());
        Assert.True(self.GetProperty("blockCount").GetInt64() >= 0);
        Assert.True(self.GetProperty("hostsMaster").GetBoolean());
        Assert.Equal("master", self.GetProperty("standby").GetString());
    }
}
