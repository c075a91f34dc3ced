using OrleansFs.Grains.Metrics.Series;

namespace OrleansFs.Tests.Metrics.Series;

public sealed class SampleRingTests
{
    [Fact]
    public void Holds_samples_oldest_first_until_full()
    {
        var ring = new SampleRing(4);
        ring.Push(1);
        ring.Push(2);
        ring.Push(3);

        Assert.Equal(3, ring.Count);
        Assert.Equal([1.0, 2, 3], ring.ToArray());
        Assert.Equal(1, ring[0]);
        Assert.Equal(3, ring[2]);
    }

    [Fact]
    public void Once_full_each_sample_replaces_the_oldest()
    {
        var ring = new SampleRing(3);
        for (int i = 1; i <= 7; i++) ring.Push(i);

        Assert.Equal(3, ring.Count);
        Assert.Equal([5.0, 6, 7], ring.ToArray());
        Assert.Equal(5, ring[0]);
        Assert.Equal(7, ring[2]);
    }

    [Fact]
    public void Keeps_the_last_capacity_samples_whatever_the_count_pushed()
    {
        for (int pushed = 0; pushed <= 20; pushed++)
        {
            var ring = new SampleRing(5);
            for (int i = 0; i < pushed; i++) ring.Push(i);
            var expected = Enumerable.Range(Math.Max(0, pushed - 5), Math.Min(pushed, 5)).Select(i => (double)i).ToArray();
            Assert.Equal(expected, ring.ToArray());
        }
    }

    [Fact]
    public void Copies_into_a_span_and_refuses_one_too_small()
    {
        var ring = new SampleRing(3);
        for (int i = 1; i <= 4; i++) ring.Push(i);
        Span<double> target = stackalloc double[5];

        Assert.Equal(3, ring.CopyTo(target));
        Assert.Equal([2.0, 3, 4, 0, 0], target.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.CopyTo(new double[2]));
    }

    [Fact]
    public void Pads_to_a_count_without_going_past_capacity()
    {
        var ring = new SampleRing(4);
        ring.PadTo(2, 0);
        ring.Push(9);
        Assert.Equal([0.0, 0, 9], ring.ToArray());

        ring.PadTo(10, 1);
        Assert.Equal([0.0, 0, 9, 1], ring.ToArray());
    }

    [Fact]
    public void Refuses_a_capacity_below_one_and_an_index_outside_the_samples()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampleRing(0));
        var ring = new SampleRing(2);
        ring.Push(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring[-1]);
    }

    [Fact]
    public void Pushing_allocates_nothing()
    {
        var ring = new SampleRing(180);
        for (int i = 0; i < 200; i++) ring.Push(i); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) ring.Push(i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
