using System.Net;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class DashboardTests(Browser browser, WebSiloFixture fixture)
{
    [Fact]
    public async Task Dashboard_page_loads_on_its_own_port_and_shows_the_silo()
    {
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync(fixture.Silo.DashboardUrl());
        Assert.Equal(200, response!.Status);
        Assert.Equal("Orleans Dashboard", await page.TitleAsync());
        await page.GetByText("ACTIVE SILOS").First.WaitForAsync(new() { Timeout = 30_000 });
        await Browser.ScreenshotAsync(page, "dashboard");

        // The dashboard is a script app: its silo list is drawn from what it fetched from the cluster.
        await page.GotoAsync($"{fixture.Silo.DashboardUrl()}/#/silos");
        await page.GetByText(fixture.Silo.SiloAddress + "@").First.WaitForAsync(new() { Timeout = 30_000 });
        await Browser.ScreenshotAsync(page, "dashboard-silos");
    }

    [Fact]
    public async Task Dashboard_and_web_interface_do_not_answer_on_each_others_port()
    {
        using var http = new HttpClient();
        var apiOnDashboardPort = await http.GetAsync($"{fixture.Silo.DashboardUrl()}/api/v1/overview");
        Assert.Equal(HttpStatusCode.NotFound, apiOnDashboardPort.StatusCode);

        string webRoot = await http.GetStringAsync(fixture.Silo.WebUrl());
        Assert.Contains("<title>Overview · OrleansFs</title>", webRoot);
        Assert.DoesNotContain("Orleans Dashboard", webRoot);
    }
}
