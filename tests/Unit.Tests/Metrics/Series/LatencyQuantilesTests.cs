using OrleansFs.Grains.Metrics.Series;

namespace OrleansFs.Tests.Metrics.Series;

public sealed class LatencyQuantilesTests
{
    [Fact]
    public void Quantiles_are_within_ten_percent_above_the_true_value()
    {
        var quantiles = new LatencyQuantiles();
        for (int ms = 1; ms <= 100; ms++) quantiles.Record(ms / 1000.0);
        quantiles.Take();

        Assert.Equal(100, quantiles.TakenCount);
        Assert.InRange(quantiles.Quantile(0.5), 0.050, 0.055);
        Assert.InRange(quantiles.Quantile(0.99), 0.099, 0.109);
    }

    [Fact]
    public void Take_starts_the_next_interval_empty()
    {
        var quantiles = new LatencyQuantiles();
        quantiles.Record(0.002);
        quantiles.Take();
        Assert.False(double.IsNaN(quantiles.Quantile(0.5)));

        quantiles.Take();
        Assert.Equal(0, quantiles.TakenCount);
        Assert.True(double.IsNaN(quantiles.Quantile(0.5)));
    }

    [Fact]
    public void Durations_outside_the_range_land_in_the_end_buckets()
    {
        var quantiles = new LatencyQuantiles();
        quantiles.Record(0);
        quantiles.Record(-1);
        quantiles.Record(10_000);
        quantiles.Take();

        Assert.Equal(3, quantiles.TakenCount);
        Assert.Equal(0.00001, quantiles.Quantile(0.5), 9);
        Assert.True(quantiles.Quantile(1) > 100);
    }
}
