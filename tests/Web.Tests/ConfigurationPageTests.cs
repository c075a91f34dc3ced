using System.Net.Http.Json;
using System.Text.Json;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class ConfigurationPageTests(Browser browser, WebSiloFixture fixture)
{
    [Fact]
    public async Task Configuration_page_shows_effective_settings_and_redacts_secrets()
    {
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync($"{fixture.Silo.WebUrl()}/config");
        await Browser.ScreenshotAsync(page, "configuration");

        Assert.Equal(200, response!.Status);
        string html = await page.ContentAsync();
        Assert.DoesNotContain(WebSiloFixture.SecretPassword, html);
        Assert.DoesNotContain(WebSiloFixture.SecretToken, html);
        var rows = page.Locator("#config tbody tr");
        Assert.Equal("***redacted***", await ValueOf(rows, "PostgreSql:ConnectionString"));
        Assert.Equal("***redacted***", await ValueOf(rows, "UnderStorage:ApiToken"));
        Assert.Equal(fixture.Silo.WebPort.ToString(), await ValueOf(rows, "Web:Port"));
        Assert.Equal(WebSiloFixture.ClusterId, await ValueOf(rows, "Cluster:Id"));
    }

    [Fact]
    public async Task Config_api_names_each_setting_its_source_and_redacts_secrets()
    {
        string body = await fixture.Http.GetStringAsync("/api/v1/config");
        Assert.DoesNotContain(WebSiloFixture.SecretPassword, body);
        Assert.DoesNotContain(WebSiloFixture.SecretToken, body);

        var settings = JsonDocument.Parse(body).RootElement.GetProperty("settings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("key").GetString()!);
        var secret = settings["PostgreSql:ConnectionString"];
        Assert.Equal("***redacted***", secret.GetProperty("value").GetString());
        Assert.True(secret.GetProperty("redacted").GetBoolean());
        Assert.Equal("CommandLine", secret.GetProperty("source").GetString());

        var port = settings["Web:Port"];
        Assert.Equal(fixture.Silo.WebPort.ToString(), port.GetProperty("value").GetString());
        Assert.False(port.GetProperty("redacted").GetBoolean());
        Assert.Equal("CommandLine", port.GetProperty("source").GetString());
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("PATH", StringComparison.Ordinal));
    }

    private static async Task<string> ValueOf(Microsoft.Playwright.ILocator rows, string key)
    {
        var row = rows.Filter(new() { Has = rows.Page.Locator("td:first-child", new() { HasTextString = key }) });
        var cells = row.First.Locator("td");
        Assert.Equal(key, await cells.Nth(0).InnerTextAsync());
        return await cells.Nth(1).InnerTextAsync();
    }
}
