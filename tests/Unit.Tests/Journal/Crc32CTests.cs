using System.Text;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

public class Crc32CTests
{
    [Fact]
    public void Matches_the_published_check_value()
    {
        // The CRC-32C catalogue check value: CRC of the ASCII digits 1..9.
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Matches_the_iSCSI_test_vectors()
    {
        // RFC 3720 appendix B.4: 32 bytes of zeros, and 32 bytes of 0xFF.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
    }

    [Fact]
    public void Software_table_agrees_with_the_hardware_path_on_every_length()
    {
        var random = new Random(42);
        for (int length = 0; length < 300; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            uint software = Crc32C.Finish(Crc32C.UpdateSoftware(Crc32C.Start, data));
            Assert.Equal(Crc32C.Compute(data), software);
        }
    }

    [Fact]
    public void Incremental_updates_equal_one_pass()
    {
        byte[] data = new byte[1000];
        new Random(7).NextBytes(data);
        uint state = Crc32C.Start;
        foreach (var chunk in data.Chunk(37)) state = Crc32C.Update(state, chunk);
        Assert.Equal(Crc32C.Compute(data), Crc32C.Finish(state));
    }
}
