using System.Net;
using System.Text.Json;
using OrleansFs.Files;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

/// <summary>The JSON API, field by field, as `ofs report` and scripts will read it.</summary>
[Collection(WebCollection.Name)]
public sealed class ApiTests(WebSiloFixture fixture)
{
    [Fact]
    public async Task Browse_api_lists_a_directory_with_every_field()
    {
        string dir = $"/api-{Guid.NewGuid():N}";
        await fixture.Client.CreateDirectoryAsync($"{dir}/sub");
        var file = await fixture.Client.WriteFileAsync($"{dir}/f.bin", new byte[5000], new CreateFileOptions { TtlMs = 60_000, TtlAction = TtlAction.Free, WriteType = WriteType.MustCache });

        using var doc = await GetJsonAsync($"/api/v1/browse?path={Uri.EscapeDataString(dir)}");
        var root = doc.RootElement;
        Assert.Equal(dir, root.GetProperty("path").GetString());
        Assert.Equal("/", root.GetProperty("parent").GetString());
        Assert.True(root.GetProperty("isDirectory").GetBoolean());
        var entries = root.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["sub", "f.bin"], entries.Select(e => e.GetProperty("name").GetString()));

        var sub = entries[0];
        Assert.Equal($"{dir}/sub", sub.GetProperty("path").GetString());
        Assert.True(sub.GetProperty("isDirectory").GetBoolean());
        Assert.Equal(0, sub.GetProperty("childCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, sub.GetProperty("inMemoryPercent").ValueKind);

        var f = entries[1];
        Assert.Equal($"{dir}/f.bin", f.GetProperty("path").GetString());
        Assert.False(f.GetProperty("isDirectory").GetBoolean());
        Assert.Equal(5000, f.GetProperty("length").GetInt64());
        Assert.Equal("NotPersisted", f.GetProperty("persistenceState").GetString()); // MUST_CACHE never persists
        Assert.False(f.GetProperty("pinned").GetBoolean());
        Assert.Equal(60_000, f.GetProperty("ttlMs").GetInt64());
        Assert.Equal("Free", f.GetProperty("ttlAction").GetString());
        Assert.True(f.GetProperty("completed").GetBoolean());
        Assert.Equal(file.LastModificationTime, f.GetProperty("lastModified").GetDateTimeOffset());
        Assert.Equal(100, f.GetProperty("inMemoryPercent").GetInt32());
    }

    [Fact]
    public async Task File_api_gives_status_blocks_where_they_live_and_the_first_bytes()
    {
        string path = $"/api-{Guid.NewGuid():N}/two-blocks";
        byte[] content = new byte[1_572_864];
        new Random(7).NextBytes(content);
        var file = await fixture.Client.WriteFileAsync(path, content, new CreateFileOptions { BlockSizeBytes = 1024 * 1024 });

        using var doc = await GetJsonAsync($"/api/v1/file?path={Uri.EscapeDataString(path)}");
        var root = doc.RootElement;
        Assert.Equal(path, root.GetProperty("entry").GetProperty("path").GetString());
        Assert.Equal(1_572_864, root.GetProperty("entry").GetProperty("length").GetInt64());
        Assert.Equal(1024 * 1024, root.GetProperty("blockSizeBytes").GetInt64());
        Assert.Equal(file.WriteType.ToString(), root.GetProperty("writeType").GetString());
        Assert.Equal(file.CreationTime, root.GetProperty("creationTime").GetDateTimeOffset());

        var blocks = root.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(file.BlockIds, blocks.Select(b => b.GetProperty("blockId").GetInt64()));
        Assert.Equal([0, 1], blocks.Select(b => b.GetProperty("index").GetInt32()));
        Assert.Equal([1024L * 1024, 524_288L], blocks.Select(b => b.GetProperty("length").GetInt64()));
        Assert.True(root.GetProperty("blockLocationsReported").GetBoolean());
        Assert.All(blocks, b =>
        {
            Assert.Equal([fixture.Silo.SiloAddress], b.GetProperty("locations").EnumerateArray().Select(l => l.GetString()));
            Assert.True(b.GetProperty("inMemory").GetBoolean());
        });
        Assert.Equal(100, root.GetProperty("entry").GetProperty("inMemoryPercent").GetInt32());

        var preview = root.GetProperty("preview");
        Assert.Equal(content.AsSpan(0, 1024).ToArray(), preview.GetProperty("bytes").GetBytesFromBase64());
        Assert.True(preview.GetProperty("truncated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("previewError").ValueKind);
    }

    [Fact]
    public async Task Timeline_api_records_the_master_taking_over_on_this_silo()
    {
        using var doc = await GetJsonAsync("/api/v1/timeline");
        var root = doc.RootElement;
        var master = root.GetProperty("master");
        Assert.Equal(fixture.Silo.SiloAddress, master.GetProperty("siloAddress").GetString());

        var takeovers = root.GetProperty("takeovers").EnumerateArray().ToList();
        var newest = takeovers.First();
        Assert.Equal(master.GetProperty("epoch").GetInt64(), newest.GetProperty("epoch").GetInt64());
        Assert.Equal(fixture.Silo.SiloAddress, newest.GetProperty("siloAddress").GetString());
        Assert.True(newest.GetProperty("recoveryMilliseconds").GetDouble() >= 0);
        Assert.True(newest.GetProperty("recordsReplayed").GetInt64() >= 0);
        Assert.InRange(newest.GetProperty("startedAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow);
        var epochs = takeovers.Select(t => t.GetProperty("epoch").GetInt64()).ToList();
        Assert.Equal(epochs.OrderByDescending(e => e), epochs);
    }

    [Fact]
    public async Task Metrics_count_operations_and_block_bytes_in_the_api_and_for_prometheus()
    {
        for (int i = 0; i < 3; i++) await fixture.Client.Master.GetStatus("/");
        string path = $"/metrics-{Guid.NewGuid():N}.bin";
        await fixture.Client.WriteFileAsync(path, new byte[200_000]);
        // The file page's preview reads the first KiB through the block grain.
        (await GetJsonAsync($"/api/v1/file?path={Uri.EscapeDataString(path)}")).Dispose();

        using var doc = await GetJsonAsync("/api/v1/metrics");
        var root = doc.RootElement;
        Assert.Equal(fixture.Silo.SiloAddress, root.GetProperty("silo").GetString());
        Assert.True(root.GetProperty("operationsTotal").GetDouble() >= 3);
        Assert.True(root.GetProperty("bytesWrittenTotal").GetDouble() >= 200_000);
        Assert.True(root.GetProperty("bytesReadTotal").GetDouble() >= 1024);
        Assert.Equal(10, root.GetProperty("windowSeconds").GetDouble());
        var ops = root.GetProperty("instruments").EnumerateArray().Single(i => i.GetProperty("name").GetString() == "ofs.operations");
        Assert.Equal("counter", ops.GetProperty("kind").GetString());
        Assert.True(ops.GetProperty("count").GetInt64() >= 3);
        // Creating and completing the file went through the master's journal on this silo.
        Assert.True(root.GetProperty("journalFlushes").GetInt64() >= 1);
        Assert.True(root.GetProperty("journalFlushMeanMilliseconds").GetDouble() > 0);

        string prometheus = await fixture.Http.GetStringAsync("/metrics");
        Assert.Contains("ofs_journal_flush_duration_seconds_bucket", prometheus);
        Assert.Matches(@"ofs_operations_total\{[^}]*operation=""GetStatus""[^}]*\} [1-9]", prometheus);
        Assert.Matches(@"ofs_written_bytes_total\{[^}]*\} [1-9]", prometheus);
    }

    [Fact]
    public async Task Bad_and_missing_paths_get_a_clear_error_naming_the_path()
    {
        var missing = await fixture.Http.GetAsync("/api/v1/browse?path=/nowhere-at-all");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using (var doc = JsonDocument.Parse(await missing.Content.ReadAsStringAsync()))
        {
            Assert.Equal("NotFound", doc.RootElement.GetProperty("code").GetString());
            Assert.Equal("/nowhere-at-all", doc.RootElement.GetProperty("path").GetString());
        }

        var bad = await fixture.Http.GetAsync("/api/v1/browse?path=" + Uri.EscapeDataString("/a/../b"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using (var doc = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()))
        {
            Assert.Equal("InvalidPath", doc.RootElement.GetProperty("code").GetString());
            Assert.Equal("/a/../b", doc.RootElement.GetProperty("path").GetString());
        }

        var directoryAsFile = await fixture.Http.GetAsync("/api/v1/file?path=/");
        Assert.Equal(HttpStatusCode.BadRequest, directoryAsFile.StatusCode);
    }

    [Fact]
    public async Task The_web_interface_is_read_only()
    {
        string dir = $"/readonly-{Guid.NewGuid():N}";
        await fixture.Client.CreateDirectoryAsync(dir);
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            foreach (string url in new[] { $"/api/v1/browse?path={dir}", $"/browse?path={dir}", $"/file?path={dir}" })
            {
                var response = await fixture.Http.SendAsync(new HttpRequestMessage(method, url));
                Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            }
        }
        var status = await fixture.Client.Master.GetStatus(dir);
        Assert.True(status.IsDirectory);
    }

    private async Task<JsonDocument> GetJsonAsync(string url)
    {
        var response = await fixture.Http.GetAsync(url);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }
}
