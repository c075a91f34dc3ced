using OrleansFs.Client.Caching;
using OrleansFs.Client.FileSystem;
using OrleansFs.Client.Retry;
using OrleansFs.Files;
using OrleansFs.Tests.Client;
using OrleansFs.Tests.Master;

namespace OrleansFs.Tests.Caching;

/// <summary><see cref="OrleansFileSystem"/> over a real master service: listings come in pages, and the cache answers reads.</summary>
public sealed class CachedFileSystemTests : IAsyncLifetime
{
    private readonly SteppedTime _time = new();
    private TestMaster _m = null!;
    private ServiceBackedMaster _master = null!;
    private MetadataCache _cache = null!;
    private OrleansFileSystem _fs = null!;

    public async Task InitializeAsync()
    {
        _m = await TestMaster.StartAsync();
        var (grain, master) = ServiceBackedMaster.Over(_m.Service);
        _master = master;
        _cache = new MetadataCache(TimeSpan.FromMinutes(1), _time);
        _fs = new OrleansFileSystem(MasterOnlyGrainFactory.Over(grain), RetryPipeline.Default, _cache, listingPageSize: 3);
        foreach (string name in new[] { "a", "b", "c", "d", "e", "f", "g" }) await _m.Service.CreateFile($"/d/{name}", new CreateFileOptions(), Guid.NewGuid());
    }

    public async Task DisposeAsync() => await _m.DisposeAsync();

    [Fact]
    public async Task A_listing_streams_every_page_in_order()
    {
        var names = new List<string>();
        await foreach (var status in _fs.EnumerateStatusAsync("/d")) names.Add(status.Name);

        Assert.Equal(["a", "b", "c", "d", "e", "f", "g"], names);
        Assert.Equal(3, _master.Calls("ListStatusPage"));
    }

    [Fact]
    public async Task Stopping_early_fetches_no_further_page()
    {
        await foreach (var _ in _fs.EnumerateStatusAsync("/d")) break;

        Assert.Equal(1, _master.Calls("ListStatusPage"));
        // Not kept either: a partial listing is not the listing.
        await _fs.ListStatusAsync("/d");
        Assert.Equal(4, _master.Calls("ListStatusPage"));
    }

    [Fact]
    public async Task Reads_are_answered_from_the_cache_until_a_mutation_or_the_age_drops_them()
    {
        Assert.Equal(7, (await _fs.ListStatusAsync("/d")).Count);
        await _fs.GetStatusAsync("/d/a");
        int pages = _master.Calls("ListStatusPage"), stats = _master.Calls("GetStatus");

        Assert.Equal(7, (await _fs.ListStatusAsync("/d")).Count);
        Assert.True(await _fs.ExistsAsync("/d/a"));
        Assert.Equal(pages, _master.Calls("ListStatusPage"));
        Assert.Equal(stats, _master.Calls("GetStatus"));

        // What the filter does for every master mutation this client sends.
        await _fs.CreateFileEntryAsync("/d/h");
        MetadataCacheFilter.Drop(_cache, "CreateFile", "/d/h", null);
        Assert.Equal(8, (await _fs.ListStatusAsync("/d")).Count);
        Assert.Equal(pages + 3, _master.Calls("ListStatusPage"));

        _time.Advance(TimeSpan.FromMinutes(1));
        await _fs.GetStatusAsync("/d/a");
        Assert.Equal(stats + 1, _master.Calls("GetStatus"));
    }

    [Fact]
    public async Task A_page_of_a_bad_size_is_refused_before_anything_is_sent()
    {
        var error = await Assert.ThrowsAsync<OrleansFs.Errors.FsException>(() => _fs.ListStatusPageAsync("/d", new ListingRequest { Limit = 0 }));

        Assert.Equal(OrleansFs.Errors.FsErrorCode.InvalidArgument, error.Code);
        Assert.Equal(0, _master.Calls("ListStatusPage"));
    }
}
