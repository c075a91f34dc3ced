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
            extraSiloArguments:
            [
                "--Lineage:Checkpoint:Enabled=false", "--Lineage:CommandJobs:Allowed:0=/bin/true", "--Lineage:CommandJobs:Allowed:1=/bin/false",
                "--Lineage:MaxAttempts=2", "--Lineage:RetryBackoff=00:00:00.200",
            ]);
        string dir = "/web-lineage";
        string raw = $"{dir}/raw.csv", hostile = $"{dir}/<script>alert(1)<", report = $"{dir}/report.txt", never = $"{dir}/never.out";
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
        // A job that fails: both its attempts are over before the kill, and are listed under the graph.
        long failing;
        await using (var client = await ConnectAsync(survivor))
        {
            failing = await client.FileSystem.CreateLineageAsync([raw], [never],
                new LineageJob { Kind = LineageJobKind.CommandLine, Executable = "/bin/false" }, run: true);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while ((await client.FileSystem.GetLineageAsync(failing)).Runs.Count(r => r.Outcome == LineageRunOutcome.Failed) < 2)
            {
                Assert.True(waited.Elapsed < LossTimeout, "the failing job did not fail twice");
                await Task.Delay(200);
            }
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

        var failures = page.Locator("#lineage-runs tbody tr.failed");
        Assert.Equal(2, await failures.CountAsync());
        Assert.Equal("run 1: Failed, exit 1", await page.Locator($"#lineage-graph g.node[data-id='job:{failing}'] text.state").TextContentAsync());
        for (int i = 0; i < 2; i++)
        {
            var cells = failures.Nth(i).Locator("td");
            Assert.Equal(failing.ToString(), await cells.Nth(0).InnerTextAsync());
            Assert.Equal((2 - i).ToString(), await cells.Nth(2).InnerTextAsync()); // newest attempt first
            Assert.Equal("Failed", await cells.Nth(4).InnerTextAsync());
            Assert.Equal("1", await cells.Nth(8).InnerTextAsync());
        }

        var svg = page.Locator("svg#lineage-graph");
        Assert.Equal(
            new[] { $"file:{hostile}", $"file:{never}", $"file:{raw}", $"file:{report}", $"job:{failing}", $"job:{first}", $"job:{second}" }
                .Order(StringComparer.Ordinal),
            (await IdsAsync(svg.Locator("g.node"), "data-id")).Order(StringComparer.Ordinal));
        Assert.Equal(4, await svg.Locator("g.node.file").CountAsync());
        Assert.Equal(3, await svg.Locator("g.node.job").CountAsync());
        var edges = svg.Locator("path.edge");
        var pairs = new List<string>();
        for (int i = 0; i < await edges.CountAsync(); i++)
            pairs.Add($"{await edges.Nth(i).GetAttributeAsync("data-from")} -> {await edges.Nth(i).GetAttributeAsync("data-to")}");
        Assert.Equal(
            new[]
            {
                $"file:{hostile} -> job:{second}", $"file:{raw} -> job:{failing}", $"file:{raw} -> job:{first}",
                $"job:{failing} -> file:{never}", $"job:{first} -> file:{hostile}", $"job:{second} -> file:{report}",
            }.Order(StringComparer.Ordinal),
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
        Assert.Equal([first, second, failing], lineages.EnumerateArray().Select(l => l.GetProperty("id").GetInt64()));
        var attempts = lineages[2].GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["Failed", "Failed"], attempts.Select(r => r.GetProperty("outcome").GetString()));
        Assert.All(attempts, r => Assert.Equal(1, r.GetProperty("exitCode").GetInt32()));
        Assert.Equal(hostile, lineages[1].GetProperty("inputs")[0].GetString());
        var states = doc.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("state").GetString());
        Assert.Equal(new Dictionary<string, string?> { [raw] = "Persisted", [hostile] = "Lost", [report] = "Lost", [never] = "Writing" }, states);
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
