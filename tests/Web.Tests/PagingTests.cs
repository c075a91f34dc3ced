using System.Net;
using OrleansFs.Files;
using OrleansFs.TestSupport;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

/// <summary>
/// Browse and In-Memory Files page through the namespace (a silo of its own with two entries a page), and a page's
/// "next" link resumes after the last name shown whatever was created or deleted meanwhile.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class PagingTests(Browser browser, WebSiloFixture fixture)
{
    [Fact]
    public async Task Browse_and_in_memory_files_page_with_next_links_that_resume_after_the_last_name_shown()
    {
        await using var silo = await SiloProcess.StartAsync(["--Web:BrowsePageSize=2", "--Web:MaxListedFiles=2"]);
        await using var client = await FsClient.ConnectAsync(silo.GatewayPort, WebSiloFixture.ClusterId);
        var inMemory = new CreateFileOptions { WriteType = WriteType.MustCache };
        foreach (string name in new[] { "a", "b", "c", "d", "e" }) await client.WriteFileAsync($"/p/{name}", new byte[100], inMemory);

        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{silo.WebUrl()}/browse?path=/p");
        Assert.Equal(["a", "b"], await page.Locator("#entries td.name a").AllInnerTextsAsync());
        Assert.Equal(0, await page.Locator("#first-page").CountAsync());

        // Meanwhile: the last entry shown goes, one appears before it and one after.
        await client.Master.Delete("/p/b", false, Guid.NewGuid());
        await client.WriteFileAsync("/p/ab", new byte[100], inMemory);
        await client.WriteFileAsync("/p/f", new byte[100], inMemory);

        await page.Locator("#next-page").ClickAsync();
        await page.WaitForURLAsync("**/browse?path=*&after=*");
        Assert.Equal(["c", "d"], await page.Locator("#entries td.name a").AllInnerTextsAsync());
        await page.Locator("#next-page").ClickAsync();
        await page.Locator("#entries td.name a", new() { HasTextString = "f" }).WaitForAsync();
        Assert.Equal(["e", "f"], await page.Locator("#entries td.name a").AllInnerTextsAsync());
        Assert.Equal(0, await page.Locator("#next-page").CountAsync());
        await Browser.ScreenshotAsync(page, "browse-last-page");
        await page.Locator("#first-page").ClickAsync();
        await page.Locator("#entries td.name a", new() { HasTextString = "ab" }).WaitForAsync();
        Assert.Equal(["a", "ab"], await page.Locator("#entries td.name a").AllInnerTextsAsync());

        // In-Memory Files scans two files a request; its link scans on until every file was shown once.
        await page.GotoAsync($"{silo.WebUrl()}/inmemory");
        var shown = new List<string>();
        for (int scan = 0; ; scan++)
        {
            Assert.True(scan < 10, "the scans did not end");
            var paths = await page.Locator("#entries tbody tr td.name").AllInnerTextsAsync();
            Assert.InRange(paths.Count, 1, 2);
            shown.AddRange(paths);
            if (await page.Locator("#next-page").CountAsync() == 0) break;
            string before = page.Url;
            await page.Locator("#next-page").ClickAsync();
            // Each part locates the blocks of every file it scans, the whole fixture's namespace included, and a block
            // on a silo another test stopped waits out its grain-call timeout: a part can take longer than Playwright's 30 s.
            await page.WaitForURLAsync(url => url != before, new() { Timeout = 120_000 });
        }
        Assert.Equal(["/p/a", "/p/ab", "/p/c", "/p/d", "/p/e", "/p/f"], shown);
    }

    [Fact]
    public async Task A_token_that_is_not_one_is_a_bad_request_that_says_so()
    {
        var response = await fixture.Http.GetAsync("/api/v1/browse?path=/&after=not-a-token!");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a listing continuation token", await response.Content.ReadAsStringAsync());
    }
}
