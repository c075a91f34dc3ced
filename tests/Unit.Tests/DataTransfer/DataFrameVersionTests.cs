using OrleansFs.Blocks.DataTransfer;

namespace OrleansFs.Tests.DataTransfer;

/// <summary>
/// Versions of the data endpoint's request frames: reads and answered writes go out as version 2, which every worker
/// since access tokens reads; batched writes and their acknowledges as version 3, which a worker that speaks only 2
/// refuses with a reason that says so, so a writer can fall back instead of having chunks misread.
/// </summary>
public sealed class DataFrameVersionTests
{
    private static byte[] Header(DataRequest request)
    {
        var header = new byte[DataFrameCodec.RequestBytes];
        DataFrameCodec.WriteRequest(header, request);
        return header;
    }

    [Theory]
    [InlineData(DataRequestKind.Read, 2)]
    [InlineData(DataRequestKind.Write, 2)]
    [InlineData(DataRequestKind.WriteBatched, 3)]
    [InlineData(DataRequestKind.Acknowledge, 3)]
    [InlineData(DataRequestKind.ReadConfirmed, 3)]
    public void A_frame_goes_out_as_the_oldest_version_that_has_its_kind(DataRequestKind kind, byte version)
    {
        var header = Header(new DataRequest(kind, 7, 0, 100));

        Assert.Equal(version, header[4]);
        Assert.True(DataFrameCodec.TryReadRequest(header, out var read, out string error), error);
        Assert.Equal(kind, read.Kind);
    }

    [Theory]
    [InlineData(DataRequestKind.Read)]
    [InlineData(DataRequestKind.Write)]
    public void A_worker_that_speaks_only_version_2_still_reads_reads_and_answered_writes(DataRequestKind kind)
    {
        Assert.True(DataFrameCodec.TryReadRequest(Header(new DataRequest(kind, 7, 0, 100)), speaks: 2, out var read, out string error), error);
        Assert.Equal(kind, read.Kind);
    }

    [Theory]
    [InlineData(DataRequestKind.WriteBatched, 100)]
    [InlineData(DataRequestKind.Acknowledge, 0)]
    [InlineData(DataRequestKind.ReadConfirmed, 1 << 20)]
    public void A_worker_that_speaks_only_version_2_refuses_a_version_3_frame_naming_the_version(DataRequestKind kind, int count)
    {
        bool ok = DataFrameCodec.TryReadRequest(Header(new DataRequest(kind, 7, 0, count)), speaks: 2, out var read, out string error);

        Assert.False(ok);
        Assert.Equal(default, read);
        Assert.Contains("protocol version 3 is not supported", error);
    }

    [Fact]
    public void An_acknowledge_of_no_writes_asks_whether_the_worker_speaks_version_3()
    {
        Assert.True(DataFrameCodec.TryReadRequest(Header(new DataRequest(DataRequestKind.Acknowledge, 7, 0, 0)), out var read, out string error), error);
        Assert.Equal(0, read.Count);
        Assert.False(DataFrameCodec.TryReadRequest(Header(new DataRequest(DataRequestKind.WriteBatched, 7, 0, 0)), out _, out error));
        Assert.Contains("count 0", error);
    }
}
