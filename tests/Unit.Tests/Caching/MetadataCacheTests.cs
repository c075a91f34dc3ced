using System.Diagnostics.Metrics;
using OrleansFs.Client.Caching;
using OrleansFs.Files;
using OrleansFs.Metrics;

namespace OrleansFs.Tests.Caching;

/// <summary>What the client metadata cache keeps, for how long, and what a mutation drops.</summary>
public sealed class MetadataCacheTests
{
    private readonly SteppedTime _time = new();
    private readonly MetadataCache _cache;

    public MetadataCacheTests() => _cache = new MetadataCache(TimeSpan.FromSeconds(10), _time);

    private static FileStatus Status(string path) => new() { Path = path, Name = path[(path.LastIndexOf('/') + 1)..] };

    private void Keep(params string[] paths)
    {
        foreach (string path in paths) _cache.AddStatus(path, Status(path), _cache.Version);
    }

    private void KeepListing(string path, bool recursive) => _cache.AddListing(path, recursive, [Status(path + "/x")], _cache.Version);

    private bool Has(string path) => _cache.TryGetStatus(path, out _);
    private bool HasListing(string path, bool recursive) => _cache.TryGetListing(path, recursive, out _);

    [Fact]
    public void An_entry_is_answered_until_it_is_as_old_as_the_maximum_age()
    {
        Keep("/a");
        KeepListing("/d", false);

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.True(Has("/a"));
        Assert.True(HasListing("/d", false));

        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.False(Has("/a"));
        Assert.False(HasListing("/d", false));
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public void A_change_drops_the_path_its_ancestors_and_their_listings_but_not_its_siblings()
    {
        Keep("/", "/d", "/d/e", "/d/e/f", "/d/e/g", "/d/e/f/below");
        foreach (string dir in new[] { "/", "/d", "/d/e", "/d/e/f", "/other" })
        {
            KeepListing(dir, false);
            KeepListing(dir, true);
        }

        _cache.Changed("/d/e/f", subtree: false);

        Assert.All(new[] { "/", "/d", "/d/e", "/d/e/f" }, p => Assert.False(Has(p), p));
        Assert.All(new[] { "/", "/d", "/d/e", "/d/e/f" }, p => Assert.False(HasListing(p, false) || HasListing(p, true), p));
        Assert.True(Has("/d/e/g"));
        Assert.True(Has("/d/e/f/below"));
        Assert.True(HasListing("/other", false));
    }

    [Fact]
    public void A_change_to_a_subtree_drops_everything_below_but_not_a_name_that_only_starts_alike()
    {
        Keep("/d/e", "/d/e/f", "/d/e/f/g", "/d/ef");
        KeepListing("/d/e/f", true);
        KeepListing("/d/ef", false);

        _cache.Changed("/d/e", subtree: true);

        Assert.False(Has("/d/e/f"));
        Assert.False(Has("/d/e/f/g"));
        Assert.False(HasListing("/d/e/f", true));
        Assert.True(Has("/d/ef"));
        Assert.True(HasListing("/d/ef", false));
    }

    [Fact]
    public void A_read_that_was_in_flight_while_a_mutation_ended_keeps_nothing()
    {
        long before = _cache.Version;
        _cache.Changed("/elsewhere", subtree: false);

        _cache.AddStatus("/a", Status("/a"), before);
        _cache.AddListing("/d", false, [Status("/d/x")], before);

        Assert.False(Has("/a"));
        Assert.False(HasListing("/d", false));
    }

    [Fact]
    public void A_listing_too_long_to_keep_is_not_kept_and_a_full_cache_starts_over()
    {
        var huge = Enumerable.Range(0, MetadataCache.MaxListingEntries + 1).Select(i => Status($"/h/{i}")).ToList();
        _cache.AddListing("/h", false, huge, _cache.Version);
        Assert.False(HasListing("/h", false));

        var big = Enumerable.Range(0, MetadataCache.MaxListingEntries).Select(i => Status($"/b/{i}")).ToList();
        for (int i = 0; i < MetadataCache.MaxEntries / MetadataCache.MaxListingEntries; i++)
            _cache.AddListing($"/b{i}", false, big, _cache.Version);
        Assert.Equal(MetadataCache.MaxEntries, _cache.Count);

        Keep("/one-more");
        Assert.True(_cache.Count <= MetadataCache.MaxEntries);
        Assert.True(Has("/one-more"));
    }

    [Fact]
    public void Lookups_are_counted_as_hits_and_misses_by_kind()
    {
        var counted = new List<(string Name, string Kind)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MetricNames.ClientMeter && instrument.Name.StartsWith("ofs.client.metadata_cache.", StringComparison.Ordinal))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            lock (counted) counted.Add((instrument.Name, (string)tags.ToArray().Single(t => t.Key == "kind").Value!));
        });
        listener.Start();
        // Unique to this test, so measurements from tests running alongside are told apart by count only.
        string path = $"/metrics-{Guid.NewGuid():N}";

        Assert.False(Has(path));
        Keep(path);
        Assert.True(Has(path));
        Assert.False(HasListing(path, false));

        lock (counted)
        {
            Assert.Contains((MetricNames.ClientMetadataCacheMisses, "status"), counted);
            Assert.Contains((MetricNames.ClientMetadataCacheHits, "status"), counted);
            Assert.Contains((MetricNames.ClientMetadataCacheMisses, "listing"), counted);
        }
    }

    [Theory]
    [InlineData("CreateFile", "/d/f", null, new[] { "/d/f", "/d" }, new[] { "/d/f/x", "/d/g" })]
    [InlineData("CompleteFile", "/d/f", null, new[] { "/d/f", "/d" }, new[] { "/d/g" })]
    [InlineData("Delete", "/d/f", null, new[] { "/d/f", "/d", "/d/f/x" }, new[] { "/d/g" })]
    [InlineData("Rename", "/d/f", "/d/g", new[] { "/d/f", "/d/f/x", "/d/g" }, new[] { "/e" })]
    [InlineData("GetStatus", "/d/f", null, new string[0], new[] { "/d/f", "/d" })]
    [InlineData("ListStatusPage", "/d", null, new string[0], new[] { "/d/f", "/d" })]
    public void Each_master_call_drops_what_it_may_have_changed(string method, string first, string? second, string[] dropped, string[] kept)
    {
        Keep("/d", "/d/f", "/d/f/x", "/d/g", "/e");

        MetadataCacheFilter.Drop(_cache, method, first, second);

        Assert.All(dropped, p => Assert.False(Has(p), $"{method} should drop {p}"));
        Assert.All(kept, p => Assert.True(Has(p), $"{method} should keep {p}"));
    }

    [Fact]
    public void A_recursive_attribute_change_drops_the_subtree_and_lineage_calls_drop_everything()
    {
        Keep("/d", "/d/f", "/d/f/x", "/e");
        MetadataCacheFilter.Drop(_cache, "SetAttribute", "/d/f", new SetAttributeOptions { Pinned = true });
        Assert.True(Has("/d/f/x"));
        MetadataCacheFilter.Drop(_cache, "SetAttribute", "/d/f", new SetAttributeOptions { Pinned = true, Recursive = true });
        Assert.False(Has("/d/f/x"));

        MetadataCacheFilter.Drop(_cache, "CreateLineage", null, null);
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public void A_path_the_cache_cannot_place_drops_everything()
    {
        Keep("/e");
        MetadataCacheFilter.Drop(_cache, "Delete", "not/absolute", null);
        Assert.False(Has("/e"));
    }
}
