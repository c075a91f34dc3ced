using System.Text.Json;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class LineagePageTests(Browser browser, WebSiloFixture fixture)
{
    [Fact]
    public async Task Lineage_page_says_plainly_that_no_lineage_is_recorded()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{fixture.Silo.WebUrl()}/lineage");
        await Browser.ScreenshotAsync(page, "lineage");

        Assert.Contains("No lineage", await page.Locator("#lineage-empty").InnerTextAsync());

        using var doc = JsonDocument.Parse(await fixture.Http.GetStringAsync("/api/v1/lineage"));
        Assert.False(doc.RootElement.GetProperty("available").GetBoolean());
        Assert.Equal(0, doc.RootElement.GetProperty("records").GetArrayLength());
    }
}
