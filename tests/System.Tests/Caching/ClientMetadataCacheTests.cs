using System.Diagnostics;
using OrleansFs.Client;
using OrleansFs.Files;

namespace OrleansFs.Tests.Caching;

/// <summary>
/// The opt-in client metadata cache against a real silo: another client's change stays unseen only while the entry is
/// younger than the maximum age; this client's own changes show at once.
/// </summary>
public sealed class ClientMetadataCacheTests(SharedSiloFixture fixture) : IClassFixture<SharedSiloFixture>, IAsyncLifetime
{
    private OrleansFsConnection _other = null!;

    public async Task InitializeAsync() => _other = await ConnectAsync(TimeSpan.Zero);
    public async Task DisposeAsync() => await _other.DisposeAsync();

    private Task<OrleansFsConnection> ConnectAsync(TimeSpan maxAge) =>
        OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [fixture.Silo.Gateway], MetadataCacheMaxAge = maxAge });

    private static async Task<List<string>> NamesAsync(IFileSystem fs, string dir) =>
        (await fs.ListStatusAsync(dir)).Select(s => s.Name).ToList();

    [Fact]
    public async Task The_clients_own_mutations_drop_what_they_made_stale()
    {
        string dir = $"/cache-own-{Guid.NewGuid():N}";
        await _other.FileSystem.CreateFileEntryAsync($"{dir}/a");
        await using var cached = await ConnectAsync(TimeSpan.FromHours(1));
        var fs = cached.FileSystem;
        Assert.Equal(["a"], await NamesAsync(fs, dir));
        Assert.False((await fs.GetStatusAsync($"{dir}/a")).Pinned);

        // Another client's changes: this one keeps its answers (an hour is far from over).
        await _other.FileSystem.CreateFileEntryAsync($"{dir}/b");
        await _other.FileSystem.SetAttributeAsync($"{dir}/a", new SetAttributeOptions { Pinned = true });
        Assert.Equal(["a"], await NamesAsync(fs, dir));
        Assert.False((await fs.GetStatusAsync($"{dir}/a")).Pinned);

        // Its own create drops the parent's listing; its own change to a file drops that file's status.
        await fs.CreateFileEntryAsync($"{dir}/c");
        Assert.Equal(["a", "b", "c"], await NamesAsync(fs, dir));
        await fs.SetAttributeAsync($"{dir}/a", new SetAttributeOptions { TtlMs = 3_600_000 });
        var a = await fs.GetStatusAsync($"{dir}/a");
        Assert.True(a.Pinned);
        Assert.Equal(3_600_000, a.TtlMs);

        // Delete and rename, through the file system and through the data client's streams alike.
        await fs.DeleteAsync($"{dir}/b");
        Assert.Equal(["a", "c"], await NamesAsync(fs, dir));
        await fs.RenameAsync($"{dir}/c", $"{dir}/d");
        Assert.Equal(["a", "d"], await NamesAsync(fs, dir));
        Assert.False(await fs.ExistsAsync($"{dir}/c"));
        await using (var stream = await cached.Data.CreateFileAsync($"{dir}/e", new CreateFileOptions { WriteType = WriteType.MustCache }))
            await stream.WriteAsync(new byte[10]);
        Assert.Equal(["a", "d", "e"], await NamesAsync(fs, dir));
        Assert.Equal(10, (await fs.GetStatusAsync($"{dir}/e")).Length);
    }

    [Fact]
    public async Task Another_clients_change_shows_once_the_entry_is_older_than_the_maximum_age()
    {
        string dir = $"/cache-age-{Guid.NewGuid():N}";
        await _other.FileSystem.CreateFileEntryAsync($"{dir}/a");
        var maxAge = TimeSpan.FromSeconds(2);
        await using var cached = await ConnectAsync(maxAge);
        var fs = cached.FileSystem;
        var sinceBefore = Stopwatch.StartNew(); // no entry is older than this
        Assert.Equal(["a"], await NamesAsync(fs, dir));
        Assert.False((await fs.GetStatusAsync($"{dir}/a")).Pinned);
        var sinceAfter = Stopwatch.StartNew(); // every entry is at least this old

        await _other.FileSystem.CreateFileEntryAsync($"{dir}/b");
        await _other.FileSystem.SetAttributeAsync($"{dir}/a", new SetAttributeOptions { Pinned = true });
        var listed = await NamesAsync(fs, dir);
        bool pinned = (await fs.GetStatusAsync($"{dir}/a")).Pinned;
        // Only asserted while the entries are surely younger than the maximum age (a loaded machine may be slower).
        if (sinceBefore.Elapsed < maxAge)
        {
            Assert.Equal(["a"], listed);
            Assert.False(pinned);
        }

        var left = maxAge - sinceAfter.Elapsed + TimeSpan.FromMilliseconds(100);
        if (left > TimeSpan.Zero) await Task.Delay(left);
        Assert.Equal(["a", "b"], await NamesAsync(fs, dir));
        Assert.True((await fs.GetStatusAsync($"{dir}/a")).Pinned);
    }

    [Fact]
    public async Task A_bad_maximum_age_is_refused_before_connecting()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ConnectAsync(TimeSpan.FromSeconds(-1)));
        Assert.Contains("MetadataCacheMaxAge", error.Message);
    }
}
