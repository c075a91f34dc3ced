using System.Diagnostics;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Listing;

/// <summary>
/// A directory of 100,000 entries on a real silo lists completely and in order, page by page, while others create
/// and delete in it; `ofs ls` prints as the pages come.
/// </summary>
public sealed class PagedListingTests(LargeDirectoryFixture fixture) : IClassFixture<LargeDirectoryFixture>
{
    private const string Dir = LargeDirectoryFixture.Directory;

    [Fact]
    public async Task A_listing_during_creates_and_deletes_returns_every_lasting_entry_once_in_order()
    {
        var fs = fixture.Client.FileSystem;
        var created = new HashSet<string>(StringComparer.Ordinal);
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        var listed = new List<string>();
        int batch = 0;
        using var done = new CancellationTokenSource();
        // A writer running alongside the listing: short-lived entries all over the directory.
        var alongside = Task.Run(async () =>
        {
            var born = new List<string>();
            for (int n = 0; !done.IsCancellationRequested; n++)
            {
                string name = LargeDirectoryFixture.NameOf(n * 3571 % LargeDirectoryFixture.Count) + $"-brief{n}";
                await fs.CreateFileEntryAsync($"{Dir}/{name}");
                await fs.DeleteAsync($"{Dir}/{name}");
                born.Add(name);
            }
            return born;
        });
        await foreach (var status in fs.EnumerateStatusAsync(Dir))
        {
            listed.Add(status.Name);
            // Between pages (one per 1,000 entries): delete and create across the whole name range, before and after
            // where the listing stands, so every page is read from a directory changed since the previous one.
            if (listed.Count % 1000 == 0) await ChurnAsync(batch++, created, deleted);
        }
        await done.CancelAsync();
        created.UnionWith(await alongside);
        Assert.True(batch >= 90, $"the listing came in {batch} pages' worth of churn");

        var original = Enumerable.Range(0, LargeDirectoryFixture.Count).Select(LargeDirectoryFixture.NameOf).ToHashSet(StringComparer.Ordinal);
        for (int i = 1; i < listed.Count; i++)
            Assert.True(string.CompareOrdinal(listed[i - 1], listed[i]) < 0, $"entry {i} ({listed[i]}) is not after {listed[i - 1]}: out of order or twice");
        var missing = original.Except(deleted).Except(listed).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} entries present throughout were not listed, e.g. {string.Join(", ", missing.Take(5))}");
        var unknown = listed.Where(n => !original.Contains(n) && !created.Contains(n)).ToList();
        Assert.True(unknown.Count == 0, $"listed entries that never existed: {string.Join(", ", unknown.Take(5))}");
        Assert.Contains(listed, created.Contains); // creates after the cursor do show
        Assert.True(deleted.Count > 0 && listed.Count > 0);
    }

    /// <summary>One round of changes: ten originals deleted and ten new names created, spread over the directory.</summary>
    private async Task ChurnAsync(int batch, HashSet<string> created, HashSet<string> deleted)
    {
        var fs = fixture.Client.FileSystem;
        for (int k = 0; k < 10; k++)
        {
            int at = (batch * 7919 + k * 10_007) % LargeDirectoryFixture.Count;
            string gone = LargeDirectoryFixture.NameOf(at);
            if (deleted.Add(gone)) await fs.DeleteAsync($"{Dir}/{gone}");
            string born = LargeDirectoryFixture.NameOf((at + 5003) % LargeDirectoryFixture.Count) + $"-new{batch}";
            if (created.Add(born)) await fs.CreateFileEntryAsync($"{Dir}/{born}");
        }
    }

    [Fact]
    public async Task Ofs_ls_prints_before_the_listing_has_arrived()
    {
        using var ofs = OfsRunner.Start(["--gateway", fixture.Silo.Gateway, "ls", Dir]);
        var stderr = ofs.StandardError.ReadToEndAsync();
        string? late = null;
        try
        {
            string? first = await ofs.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120));
            Assert.NotNull(first);
            Assert.EndsWith($"{Dir}/", first[..(first.LastIndexOf('/') + 1)]);
            // Nothing more is read until this file exists: ofs blocks on a full pipe within its first page, so a
            // tool that fetched the whole listing before printing could not list it.
            late = $"{Dir}/zz-created-after-the-first-line-{Guid.NewGuid():N}";
            Assert.False(ofs.HasExited, "ofs finished before its first line was read");
            await fixture.Client.FileSystem.CreateFileEntryAsync(late);

            var lines = new List<string> { first };
            while (await ofs.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120)) is { } line) lines.Add(line);
            await ofs.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(ofs.ExitCode == 0, $"ofs ls failed: {await stderr}");
            Assert.EndsWith(late, lines[^1]);
            Assert.True(lines.Count > LargeDirectoryFixture.Count / 2, $"only {lines.Count} lines");
        }
        finally
        {
            if (!ofs.HasExited) ofs.Kill(entireProcessTree: true);
            // The other test counts every name in the directory.
            if (late is not null && await fixture.Client.FileSystem.ExistsAsync(late)) await fixture.Client.FileSystem.DeleteAsync(late);
        }
    }
}
