using System.Text.Json;
using OrleansFs.Files;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

/// <summary>In-Memory Files lists exactly the files with bytes in worker memory, in the page and in the API.</summary>
[Collection(WebCollection.Name)]
public sealed class InMemoryPageTests(Browser browser, WebSiloFixture fixture)
{
    [Fact]
    public async Task Lists_cached_files_not_through_files_and_drops_a_file_once_freed()
    {
        string dir = $"/inmem-{Guid.NewGuid():N}";
        await fixture.Client.WriteFileAsync($"{dir}/cached.bin", new byte[70_000], new CreateFileOptions { WriteType = WriteType.CacheThrough });
        await fixture.Client.WriteFileAsync($"{dir}/only-ufs.bin", new byte[70_000], new CreateFileOptions { WriteType = WriteType.Through });
        await fixture.Client.WriteFileAsync($"{dir}/freed.bin", new byte[70_000], new CreateFileOptions { WriteType = WriteType.CacheThrough });
        await fixture.Client.FreeAsync($"{dir}/freed.bin");

        var listed = await ListedUnderAsync(dir);
        Assert.Equal([($"{dir}/cached.bin", 100)], listed);

        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{fixture.Silo.WebUrl()}/inmemory");
        await Browser.ScreenshotAsync(page, "in-memory");
        var row = page.Locator("#entries tbody tr", new() { HasText = $"{dir}/cached.bin" });
        Assert.Equal(1, await row.CountAsync());
        Assert.Equal("100%", await row.Locator("td").Nth(2).InnerTextAsync());
        Assert.Equal("Persisted", await row.Locator("td").Nth(3).InnerTextAsync());
        Assert.Equal(0, await page.Locator("#entries tbody tr", new() { HasText = $"{dir}/only-ufs.bin" }).CountAsync());
        Assert.Equal(0, await page.Locator("#entries tbody tr", new() { HasText = $"{dir}/freed.bin" }).CountAsync());
    }

    private async Task<List<(string Path, int Percent)>> ListedUnderAsync(string dir)
    {
        using var http = new HttpClient();
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"{fixture.Silo.WebUrl()}/api/v1/inmemory"));
        Assert.True(doc.RootElement.GetProperty("reported").GetBoolean());
        Assert.False(doc.RootElement.GetProperty("truncated").GetBoolean());
        return doc.RootElement.GetProperty("files").EnumerateArray()
            .Select(f => (Path: f.GetProperty("path").GetString()!, Percent: f.GetProperty("inMemoryPercent").GetInt32()))
            .Where(f => f.Path.StartsWith(dir + "/", StringComparison.Ordinal))
            .ToList();
    }
}
