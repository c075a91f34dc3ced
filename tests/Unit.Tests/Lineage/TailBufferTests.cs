using OrleansFs.Grains.Lineage.Jobs;

namespace OrleansFs.Unit.Tests.Lineage;

public sealed class TailBufferTests
{
    [Fact]
    public void Keeps_the_last_bytes_in_order_across_wraps()
    {
        var tail = new TailBuffer(8);
        tail.Append("abcde"u8);
        tail.Append("fghij"u8);
        Assert.Equal("cdefghij", tail.ToString());
        tail.Append("0123456789ABC"u8);
        Assert.Equal("56789ABC", tail.ToString());
        Assert.Equal(23, tail.TotalBytes);
    }

    [Fact]
    public void Short_output_is_kept_whole()
    {
        var tail = new TailBuffer(64);
        tail.Append("hello"u8);
        Assert.Equal("hello", tail.ToString());
    }
}
