using System.Net;
using System.Text;
using OrleansFs.Files;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class BrowsePageTests(Browser browser, WebSiloFixture fixture)
{
    [Fact]
    public async Task Browse_shows_a_file_written_through_the_client_and_its_page_shows_blocks_where_they_live_and_content()
    {
        string dir = $"/browse-{Guid.NewGuid():N}";
        byte[] content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("id,name,score\n1,ada,99\n", 120_000)));
        var options = new CreateFileOptions { BlockSizeBytes = 1024 * 1024, Pinned = true, TtlMs = 3_600_000, WriteType = WriteType.MustCache };
        var file = await fixture.Client.WriteFileAsync($"{dir}/report.csv", content, options);
        Assert.Equal(3, file.BlockIds.Count); // 2.6 MiB in 1 MiB blocks

        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{fixture.Silo.WebUrl()}/browse?path={Uri.EscapeDataString(dir)}");
        await Browser.ScreenshotAsync(page, "browse");

        var row = page.Locator("#entries tbody tr");
        Assert.Equal(1, await row.CountAsync());
        var cells = row.Locator("td");
        Assert.Equal("report.csv", await cells.Nth(0).InnerTextAsync());
        Assert.Equal("2.63 MiB", await cells.Nth(1).InnerTextAsync());
        Assert.Equal("100%", await cells.Nth(2).InnerTextAsync());
        Assert.Equal(file.PersistenceState.ToString(), await cells.Nth(3).InnerTextAsync());
        Assert.Equal("yes", await cells.Nth(4).InnerTextAsync());
        Assert.StartsWith("1 h", await cells.Nth(5).InnerTextAsync());

        await row.Locator("a").ClickAsync();
        await page.WaitForURLAsync("**/file?path=*");
        await Browser.ScreenshotAsync(page, "file");
        Assert.Equal($"{dir}/report.csv", await page.Locator("#file-path").InnerTextAsync());
        var blocks = page.Locator("#blocks tbody tr");
        Assert.Equal(3, await blocks.CountAsync());
        for (int i = 0; i < 3; i++)
        {
            var blockCells = blocks.Nth(i).Locator("td");
            Assert.Equal(file.BlockIds[i].ToString(), await blockCells.Nth(1).InnerTextAsync());
            Assert.Equal(fixture.Silo.SiloAddress, await blocks.Nth(i).Locator("td.locations").InnerTextAsync());
            Assert.Equal("yes", await blockCells.Nth(4).InnerTextAsync());
        }
        string preview = await page.Locator("#preview").InnerTextAsync();
        Assert.StartsWith("id,name,score\n1,ada,99\n", preview);
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(preview));
    }

    [Fact]
    public async Task A_file_named_with_html_is_shown_as_text_and_nothing_in_it_runs()
    {
        string dir = $"/html-{Guid.NewGuid():N}";
        string[] names = ["<script>alert(1)<", "<img src=x onerror=alert(2)>", "a&amp;b \"quoted\" 'single'"];
        var mkdir = await fixture.Ofs.RunAsync("mkdir", dir);
        Assert.True(mkdir.ExitCode == 0, mkdir.ToString());
        var touch = await fixture.Ofs.RunAsync(["touch", .. names.Select(n => $"{dir}/{n}")]);
        Assert.True(touch.ExitCode == 0, touch.ToString());

        var page = await browser.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += (_, d) => { dialogs.Add(d.Message); _ = d.DismissAsync(); };
        await page.GotoAsync($"{fixture.Silo.WebUrl()}/browse?path={Uri.EscapeDataString(dir)}");
        await page.WaitForTimeoutAsync(500);
        await Browser.ScreenshotAsync(page, "browse-html-names");

        var shown = await page.Locator("#entries td.name a").AllInnerTextsAsync();
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), shown.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Empty(dialogs);
        Assert.Equal(0, await page.Locator("#entries img").CountAsync());
        Assert.Equal(0, await page.Locator("main script").CountAsync());

        await page.Locator("#entries td.name a", new() { HasTextString = "<script>" }).ClickAsync();
        await page.WaitForURLAsync("**/file?path=*");
        Assert.Equal($"{dir}/<script>alert(1)<", await page.Locator("#file-path").InnerTextAsync());
        Assert.Equal($"File {dir}/<script>alert(1)<", await page.Locator("h1").InnerTextAsync());
        Assert.Empty(dialogs);
    }

    [Fact]
    public async Task Browsing_a_missing_path_says_which_path_is_missing()
    {
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync($"{fixture.Silo.WebUrl()}/browse?path=/no-such-dir-{Guid.NewGuid():N}");

        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        string error = await page.Locator("#error").InnerTextAsync();
        Assert.Contains("/no-such-dir-", error);
        Assert.Contains("NotFound", error);
    }
}
