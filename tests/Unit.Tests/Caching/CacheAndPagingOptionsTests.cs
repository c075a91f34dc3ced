using OrleansFs.Client;
using OrleansFs.Client.Caching;
using OrleansFs.Tests.Client;

namespace OrleansFs.Tests.Caching;

/// <summary>The client's cache and listing page options: off and 1,000 by default, a bad value named.</summary>
public sealed class CacheAndPagingOptionsTests
{
    private static string? Failure(Action<OrleansFsClientOptions> change) => OrleansFsClientOptionsValidatorTests.Failure(change);

    [Fact]
    public void The_cache_is_off_by_default_and_on_with_a_positive_age()
    {
        Assert.Null(MetadataCache.From(new OrleansFsClientOptions()));
        Assert.NotNull(MetadataCache.From(new OrleansFsClientOptions { MetadataCacheMaxAge = TimeSpan.FromSeconds(30) }));
        Assert.Null(Failure(o => { o.MetadataCacheMaxAge = TimeSpan.FromMinutes(10); o.ListingPageSize = 10_000; }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public void A_listing_page_size_out_of_range_is_named(int size) =>
        Assert.Equal($"ListingPageSize must be 1 to 10000, not {size}", Failure(o => o.ListingPageSize = size));

    [Fact]
    public void A_negative_cache_age_is_named() =>
        Assert.Equal("MetadataCacheMaxAge must be zero (no cache) or positive, not -00:00:01",
            Failure(o => o.MetadataCacheMaxAge = TimeSpan.FromSeconds(-1)));
}
