using System.Text;
using System.Text.Json;
using OrleansFs.Client;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.TestSupport;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class LineagePageTests(Browser browser, WebSiloFixture fixture)
{
    private static readonly TimeSpan LossTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task With_no_lineage_recorded_the_page_says_so_and_the_api_lists_none()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{fixture.Silo.WebUrl()}/lineage");

        Assert.Contains("No lineage records yet", await page.Locator("#lineage-empty").InnerTextAsync());
        using var doc = JsonDocument.Parse(await fixture.Http.GetStringAsync("/api/v1/lineage"));
        Assert.Equal(0, doc.RootElement.GetProperty("lineages").GetArrayLength());
        Assert.Equal(0, doc.RootElement.GetProperty("files").GetArrayLength());
    }

    /// <summary>
    /// Two silos on ZooKeeper: a chain raw.csv → #1 → &lt;script&gt;… → #2 → report.txt, the outputs written through the
    /// silo that does not host the master, which is then SIGKILLed. The survivor's page draws the graph, shows both
    /// outputs lost, and shows the hostile name as text.
    /// </summary>
    [Fact]
    public async Task The_page_draws_inputs_jobs_and_outputs_with_a_lost_files_state_and_a_hostile_name_as_text()
    {
        await using var cluster = await ClusterProcesses.StartAsync(silos: 2, zooKeeperMembers: 1,
            extraSiloArguments: ["--Lineage:Checkpoint:Enabled=false", "--Lineage:CommandJobs:Allowed:0=/bin/true"]);
        string dir = "/web-lineage";
        string raw = $"{dir}/raw.csv", hostile = $"{dir}/<script>alert(1)<", report = $"{dir}/report.txt";
        string masterSilo;
        await using (var any = await ConnectAsync(cluster.Silos[0]))
            masterSilo = (await any.FileSystem.GetMasterInfoAsync()).SiloAddress;
        var victim = cluster.Silos.Single(s => s.SiloAddress != masterSilo);
        var survivor = cluster.SiloAt(masterSilo);

        long first, second;
        await using (var writer = await ConnectAsync(victim))
        {
            await writer.FileSystem.CreateDirectoryAsync(dir);
            await WriteAsync(writer, raw, "id,score\n1,99\n", WriteType.CacheThrough);
            var job = new LineageJob { Kind = LineageJobKind.CommandLine, Executable = "/bin/true" };
            first = await writer.FileSystem.CreateLineageAsync([raw], [hostile], job);
            second = await writer.FileSystem.CreateLineageAsync([hostile], [report], job);
            // Placement prefers the silo a client came through: these blocks live only on the victim.
            await WriteAsync(writer, hostile, "<b>transformed</b>\n", WriteType.MustCache);
            await WriteAsync(writer, report, "report\n", WriteType.MustCache);
        }
        victim.Kill();

        var page = await browser.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += (_, d) => { dialogs.Add(d.Message); _ = d.DismissAsync(); };
        await page.GotoAsync($"{survivor.WebUrl()}/lineage");
        var reportNode = page.Locator($"#lineage-graph g.node[data-id='file:{report}']");
        // Lost once the membership has declared the victim dead (until then its blocks cannot be located).
        await WaitForSvgTextAsync(reportNode.Locator("text.state"), "lost");
        await Browser.ScreenshotAsync(page, "lineage");

        var svg = page.Locator("svg#lineage-graph");
        Assert.Equal(
            new[] { $"file:{hostile}", $"file:{raw}", $"file:{report}", $"job:{first}", $"job:{second}" },
            (await IdsAsync(svg.Locator("g.node"), "data-id")).Order(StringComparer.Ordinal));
        Assert.Equal(3, await svg.Locator("g.node.file").CountAsync());
        Assert.Equal(2, await svg.Locator("g.node.job").CountAsync());
        var edges = svg.Locator("path.edge");
        var pairs = new List<string>();
        for (int i = 0; i < await edges.CountAsync(); i++)
            pairs.Add($"{await edges.Nth(i).GetAttributeAsync("data-from")} -> {await edges.Nth(i).GetAttributeAsync("data-to")}");
        Assert.Equal(
            new[] { $"file:{hostile} -> job:{second}", $"file:{raw} -> job:{first}", $"job:{first} -> file:{hostile}", $"job:{second} -> file:{report}" },
            pairs.Order(StringComparer.Ordinal));

        // Left to right: the input, then its job, then its output, then the next job, then the last output.
        var xs = new List<double>();
        foreach (var id in new[] { $"file:{raw}", $"job:{first}", $"file:{hostile}", $"job:{second}", $"file:{report}" })
            xs.Add((await svg.Locator($"g.node[data-id='{id}']").BoundingBoxAsync())!.X);
        Assert.Equal(xs.Order(), xs);

        Assert.Equal("Lost", await reportNode.GetAttributeAsync("data-state"));
        var hostileNode = svg.Locator($"g.node[data-id='file:{hostile}']");
        Assert.Equal("lost", await hostileNode.Locator("text.state").TextContentAsync());
        Assert.Equal("persisted", await svg.Locator($"g.node[data-id='file:{raw}'] text.state").TextContentAsync());
        Assert.Equal("<script>alert(1)<", await hostileNode.Locator("text.label").TextContentAsync());
        Assert.Equal(hostile, await hostileNode.Locator("title").TextContentAsync());
        Assert.Equal(hostile, await page.Locator($"#lineage-files tr[data-path='{hostile}'] td.path").InnerTextAsync());
        Assert.Equal(0, await page.Locator("main script").CountAsync());
        Assert.Empty(dialogs);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"{survivor.WebUrl()}/api/v1/lineage"));
        var lineages = doc.RootElement.GetProperty("lineages");
        Assert.Equal([first, second], lineages.EnumerateArray().Select(l => l.GetProperty("id").GetInt64()));
        Assert.Equal(hostile, lineages[1].GetProperty("inputs")[0].GetString());
        var states = doc.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("state").GetString());
        Assert.Equal(new Dictionary<string, string?> { [raw] = "Persisted", [hostile] = "Lost", [report] = "Lost" }, states);
    }

    /// <summary>Reloads the page until an SVG text element reads <paramref name="expected"/> (SVG has no innerText).</summary>
    private static async Task WaitForSvgTextAsync(Microsoft.Playwright.ILocator text, string expected)
    {
        var deadline = DateTime.UtcNow + LossTimeout;
        string? actual = null;
        while (DateTime.UtcNow < deadline)
        {
            actual = await text.CountAsync() > 0 ? await text.TextContentAsync() : null;
            if (actual == expected) return;
            await Task.Delay(1000);
            await text.Page.ReloadAsync();
        }
        Assert.Equal(expected, actual);
    }

    private static async Task<List<string>> IdsAsync(Microsoft.Playwright.ILocator nodes, string attribute)
    {
        var ids = new List<string>();
        for (int i = 0; i < await nodes.CountAsync(); i++) ids.Add((await nodes.Nth(i).GetAttributeAsync(attribute))!);
        return ids;
    }

    private static Task<OrleansFsConnection> ConnectAsync(SiloProcess silo) =>
        OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [silo.Gateway], ConnectTimeout = TimeSpan.FromSeconds(30) });

    private static async Task WriteAsync(OrleansFsConnection client, string path, string text, WriteType writeType)
    {
        await using var stream = await client.Data.CreateFileAsync(path, new CreateFileOptions { WriteType = writeType }, shortCircuit: false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
    }
}
