using System.Net;
using System.Net.Http.Headers;
using OrleansFs.TestSupport;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

/// <summary>The dashboard shows grain state: with a token configured it refuses requests without it.</summary>
[Collection(WebCollection.Name)]
public sealed class DashboardAccessTests(Browser browser)
{
    private const string Token = "dashboard-test-token-7c1e";

    [Fact]
    public async Task Dashboard_with_an_access_token_refuses_requests_without_it_and_admits_the_browser_that_brings_it()
    {
        await using var silo = await SiloProcess.StartAsync([$"--Dashboard:AccessToken={Token}"]);
        using var http = new HttpClient();

        var anonymous = await http.GetAsync(silo.DashboardUrl());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain("Orleans Dashboard", await anonymous.Content.ReadAsStringAsync());

        var wrong = new HttpRequestMessage(HttpMethod.Get, silo.DashboardUrl());
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);

        var right = new HttpRequestMessage(HttpMethod.Get, silo.DashboardUrl());
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var admitted = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);

        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{silo.DashboardUrl()}/?token={Token}");
        Assert.Equal("Orleans Dashboard", await page.TitleAsync());
        // Its own data requests carry the cookie the token set, so the silo list fills in.
        await page.GotoAsync($"{silo.DashboardUrl()}/#/silos");
        await page.GetByText(silo.SiloAddress + "@").First.WaitForAsync(new() { Timeout = 30_000 });
        await Browser.ScreenshotAsync(page, "dashboard-with-token");
    }

    [Fact]
    public async Task Silo_refuses_to_start_a_dashboard_reachable_from_other_machines_without_a_token()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloProcess.StartAsync(["--Dashboard:Host=0.0.0.0"]));

        Assert.Contains("exited", refused.Message);
        Assert.Contains("Dashboard:Host is 0.0.0.0", refused.Message);
        Assert.Contains("set Dashboard:AccessToken", refused.Message);
    }
}
