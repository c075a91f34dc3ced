using System.Buffers.Binary;
using OrleansFs.Blocks;
using OrleansFs.Blocks.DataTransfer;

namespace OrleansFs.Tests.DataTransfer;

/// <summary>The data endpoint's frames: what is written is read back, and every malformed header is refused with a reason.</summary>
public sealed class DataFrameCodecTests
{
    private const int Chunk = BlockSidecar.ChunkBytes;

    private static byte[] Request(DataRequest request)
    {
        var bytes = new byte[DataFrameCodec.RequestBytes];
        DataFrameCodec.WriteRequest(bytes, request);
        return bytes;
    }

    private static byte[] Response(DataResponse response)
    {
        var bytes = new byte[DataFrameCodec.ResponseBytes];
        DataFrameCodec.WriteResponse(bytes, response);
        return bytes;
    }

    /// <summary>Recomputes a request header's check value after a field was changed, so only the field is wrong.</summary>
    private static byte[] Resealed(byte[] header, int checkAt)
    {
        uint check = (uint)System.IO.Hashing.XxHash3.HashToUInt64(header.AsSpan(0, checkAt));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(checkAt), check);
        return header;
    }

    [Theory]
    [InlineData(DataRequestKind.Read, 0L, 0L, 1)]
    [InlineData(DataRequestKind.Read, 42L << 24 | 7, 123_456_789L, int.MaxValue)]
    [InlineData(DataRequestKind.Write, 5L, 3L * Chunk, Chunk)]
    [InlineData(DataRequestKind.Write, long.MaxValue, 0L, 1)]
    public void A_request_reads_back_as_written(DataRequestKind kind, long blockId, long offset, int count)
    {
        var sent = new DataRequest(kind, blockId, offset, count, new BlockAccessToken(1_800_000_000_000 + blockId % 1000, UInt128.MaxValue - (ulong)offset));

        Assert.True(DataFrameCodec.TryReadRequest(Request(sent), out var read, out string error), error);
        Assert.Equal(sent, read);
    }

    [Theory]
    [InlineData(DataStatus.Ok, 0)]
    [InlineData(DataStatus.Ok, Chunk)]
    [InlineData(DataStatus.ChecksumMismatch, 57)]
    [InlineData(DataStatus.WriteNotBegun, DataFrameCodec.MaxMessageBytes)]
    public void A_response_reads_back_as_written(DataStatus status, int length)
    {
        Assert.True(DataFrameCodec.TryReadResponse(Response(new DataResponse(status, length)), out var read, out string error), error);
        Assert.Equal(new DataResponse(status, length), read);
    }

    public static TheoryData<string, byte[], string> MalformedRequests()
    {
        var good = Request(new DataRequest(DataRequestKind.Write, 9, Chunk, 100));
        var data = new TheoryData<string, byte[], string>();
        data.Add("short header", good[..55], "56");
        data.Add("empty", [], "0 bytes");
        var magic = (byte[])good.Clone();
        magic[0] ^= 0xFF;
        data.Add("bad magic", Resealed(magic, 52), "magic");
        var flipped = (byte[])good.Clone();
        flipped[17] ^= 0x01;
        data.Add("bit flip in offset", flipped, "check value");
        var check = (byte[])good.Clone();
        check[55] ^= 0x80;
        data.Add("bit flip in check", check, "check value");
        var version = (byte[])good.Clone();
        version[4] = 1; // before access tokens
        data.Add("other version", Resealed(version, 52), "version 1");
        var reserved = (byte[])good.Clone();
        reserved[6] = 1;
        data.Add("reserved bits", Resealed(reserved, 52), "reserved");
        data.Add("unknown kind", Resealed(With(good, 5, 9), 52), "kind 9");
        data.Add("kind zero", Resealed(With(good, 5, 0), 52), "kind 0");
        data.Add("negative block id", Request(new DataRequest(DataRequestKind.Read, -1, 0, 10)), "block id -1");
        data.Add("negative offset", Request(new DataRequest(DataRequestKind.Read, 1, -5, 10)), "offset -5");
        data.Add("zero count", Request(new DataRequest(DataRequestKind.Read, 1, 0, 0)), "count 0");
        data.Add("negative count", Request(new DataRequest(DataRequestKind.Write, 1, 0, -1)), "count -1");
        data.Add("unaligned write", Request(new DataRequest(DataRequestKind.Write, 1, 100, 10)), "not a multiple");
        data.Add("write over a chunk", Request(new DataRequest(DataRequestKind.Write, 1, 0, Chunk + 1)), "more than one chunk");
        return data;
    }

    private static byte[] With(byte[] header, int index, byte value)
    {
        var copy = (byte[])header.Clone();
        copy[index] = value;
        return copy;
    }

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public void A_malformed_request_is_refused_with_a_reason(string what, byte[] header, string reasonContains)
    {
        bool ok = DataFrameCodec.TryReadRequest(header, out var request, out string error);

        Assert.False(ok, what);
        Assert.Equal(default, request);
        Assert.Contains(reasonContains, error);
    }

    public static TheoryData<string, byte[], string> MalformedResponses()
    {
        var good = Response(new DataResponse(DataStatus.Ok, 100));
        var data = new TheoryData<string, byte[], string>();
        data.Add("short header", good[..15], "16");
        var magic = (byte[])good.Clone();
        magic[3] ^= 0xFF;
        data.Add("bad magic", Resealed(magic, 12), "magic");
        var flipped = (byte[])good.Clone();
        flipped[9] ^= 0x04;
        data.Add("bit flip in length", flipped, "check value");
        data.Add("unknown status", Resealed(With(good, 4, 200), 12), "status 200");
        data.Add("reserved bits", Resealed(With(good, 5, 1), 12), "reserved");
        data.Add("negative length", Response(new DataResponse(DataStatus.Ok, -1)), "negative");
        data.Add("data frame over a chunk", Response(new DataResponse(DataStatus.Ok, Chunk + 1)), "over the limit");
        data.Add("error message too long", Response(new DataResponse(DataStatus.Failed, DataFrameCodec.MaxMessageBytes + 1)), "over the limit");
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedResponses))]
    public void A_malformed_response_is_refused_with_a_reason(string what, byte[] header, string reasonContains)
    {
        bool ok = DataFrameCodec.TryReadResponse(header, out var response, out string error);

        Assert.False(ok, what);
        Assert.Equal(default, response);
        Assert.Contains(reasonContains, error);
    }

    [Fact]
    public void Every_single_bit_flip_of_a_request_is_refused()
    {
        var good = Request(new DataRequest(DataRequestKind.Read, 77, 4096, 65536));
        for (int bit = 0; bit < good.Length * 8; bit++)
        {
            var damaged = (byte[])good.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(DataFrameCodec.TryReadRequest(damaged, out _, out _), $"bit {bit} flipped was accepted");
        }
    }
}
