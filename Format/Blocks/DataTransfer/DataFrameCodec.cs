using System.Buffers.Binary;
using System.IO.Hashing;

namespace OrleansFs.Blocks.DataTransfer;

/// <summary>
/// The frames of a worker's data endpoint, fixed-size little-endian headers each ending in a check value
/// over the bytes before it, so a stray or shifted byte stream is refused instead of misread.
/// <code>
/// request  (56 bytes): magic "OFSD" u32 | version u8 (2 or 3, see VersionOf) | kind u8 | 0 u16 | block id i64 | offset i64 | count i32
///                      | token expiry i64 | token mac u128 | check u32
/// response (16 bytes): magic "OFSR" u32 | status u8 | 0 u8 | 0 u16 | payload length i32 | check u32
/// </code>
/// A read asks for <c>count</c> bytes at <c>offset</c> and is answered by Ok frames whose payloads add up
/// to <c>count</c>, each at most one chunk and verified against the block's checksum before it is sent, or by
/// one error frame at any point; a confirmed read (<see cref="DataRequestKind.ReadConfirmed"/>) has a confirm frame
/// (Ok, no payload, or an error) after each data frame. A write carries one chunk (chunk-aligned offset, 1..chunk bytes) and is
/// answered by one frame; a batched write is the same frame unanswered, and an acknowledge (count = the batched
/// writes since the last one) is answered for all of them. A writer's first frame on a connection is an acknowledge of
/// none: a worker that speaks only version 2 answers it as a bad request (and closes) before any chunk is on the wire. The token (<see cref="BlockAccessToken"/>) is checked by the endpoint, not here.
/// </summary>
public static class DataFrameCodec
{
    public const int RequestBytes = 56;
    public const int ResponseBytes = 16;
    /// <summary>
    /// The newest version this side speaks. 2: the request carries a block access token. 3: adds
    /// <see cref="DataRequestKind.WriteBatched"/> and <see cref="DataRequestKind.Acknowledge"/>.
    /// </summary>
    public const byte Version = 3;
    /// <summary>The oldest version still read: a version-2 frame is a read or an answered write.</summary>
    public const byte MinimumVersion = 2;
    /// <summary>Longest error message a response carries.</summary>
    public const int MaxMessageBytes = 4096;
    private const uint RequestMagic = 0x4453464F;  // "OFSD"
    private const uint ResponseMagic = 0x5253464F; // "OFSR"
    private const int CheckAt = RequestBytes - 4;

    public static void WriteRequest(Span<byte> destination, DataRequest request)
    {
        var header = destination[..RequestBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(header, RequestMagic);
        header[4] = VersionOf(request.Kind);
        header[5] = (byte)request.Kind;
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], request.BlockId);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], request.Offset);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], request.Count);
        BinaryPrimitives.WriteInt64LittleEndian(header[28..], request.Token.ExpiresUnixMs);
        BinaryPrimitives.WriteUInt128LittleEndian(header[36..], request.Token.Mac);
        BinaryPrimitives.WriteUInt32LittleEndian(header[CheckAt..], Check(header[..CheckAt]));
    }

    /// <summary>
    /// The version a frame of <paramref name="kind"/> is sent as: the oldest that has the kind, so a worker that speaks
    /// only version 2 still serves reads and answered writes, and refuses a batched write or a confirmed read as a version
    /// it does not speak.
    /// </summary>
    public static byte VersionOf(DataRequestKind kind) =>
        kind is DataRequestKind.WriteBatched or DataRequestKind.Acknowledge or DataRequestKind.ReadConfirmed ? (byte)3 : MinimumVersion;

    /// <summary>Decodes a request header; on failure <paramref name="error"/> says what is wrong with it.</summary>
    public static bool TryReadRequest(ReadOnlySpan<byte> source, out DataRequest request, out string error) =>
        TryReadRequest(source, Version, out request, out error);

    /// <summary>
    /// Decodes a request header as a side that speaks versions <see cref="MinimumVersion"/> to <paramref name="speaks"/>
    /// (a worker of an older release behaves as one with a lower <paramref name="speaks"/>).
    /// </summary>
    public static bool TryReadRequest(ReadOnlySpan<byte> source, byte speaks, out DataRequest request, out string error)
    {
        request = default;
        if (source.Length < RequestBytes) return Fail($"request header is {source.Length} bytes, not {RequestBytes}", out error);
        var header = source[..RequestBytes];
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != RequestMagic) return Fail("not an OrleansFs data request (bad magic)", out error);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[CheckAt..]) != Check(header[..CheckAt])) return Fail("request header check value does not match", out error);
        if (header[4] < MinimumVersion || header[4] > speaks)
            return Fail($"protocol version {header[4]} is not supported (this worker speaks {MinimumVersion} to {speaks})", out error);
        if (BinaryPrimitives.ReadUInt16LittleEndian(header[6..]) != 0) return Fail("reserved request bits are set", out error);
        var kind = (DataRequestKind)header[5];
        long blockId = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        long offset = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(header[24..]);
        var token = new BlockAccessToken(BinaryPrimitives.ReadInt64LittleEndian(header[28..]), BinaryPrimitives.ReadUInt128LittleEndian(header[36..]));
        if (blockId < 0) return Fail($"block id {blockId} is negative", out error);
        if (offset < 0) return Fail($"offset {offset} is negative", out error);
        // An acknowledge of no writes is how a writer asks, before its first batch, whether the worker speaks version 3.
        if (count < 0 || count == 0 && kind != DataRequestKind.Acknowledge) return Fail($"count {count} must be positive", out error);
        switch (kind)
        {
            case DataRequestKind.Read or DataRequestKind.ReadConfirmed:
                break;
            case DataRequestKind.Acknowledge:
                if (offset != 0) return Fail($"acknowledge offset {offset} must be 0", out error);
                break;
            case DataRequestKind.Write or DataRequestKind.WriteBatched:
                if (offset % BlockSidecar.ChunkBytes != 0) return Fail($"write offset {offset} is not a multiple of {BlockSidecar.ChunkBytes}", out error);
                if (count > BlockSidecar.ChunkBytes) return Fail($"write of {count} bytes is more than one chunk ({BlockSidecar.ChunkBytes})", out error);
                break;
            default:
                return Fail($"unknown request kind {(byte)kind}", out error);
        }
        request = new DataRequest(kind, blockId, offset, count, token);
        error = "";
        return true;
    }

    public static void WriteResponse(Span<byte> destination, DataResponse response)
    {
        var header = destination[..ResponseBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(header, ResponseMagic);
        header[4] = (byte)response.Status;
        header[5] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], response.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Check(header[..12]));
    }

    public static bool TryReadResponse(ReadOnlySpan<byte> source, out DataResponse response, out string error)
    {
        response = default;
        if (source.Length < ResponseBytes) return Fail($"response header is {source.Length} bytes, not {ResponseBytes}", out error);
        var header = source[..ResponseBytes];
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != ResponseMagic) return Fail("not an OrleansFs data response (bad magic)", out error);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != Check(header[..12])) return Fail("response header check value does not match", out error);
        if (header[5] != 0 || BinaryPrimitives.ReadUInt16LittleEndian(header[6..]) != 0) return Fail("reserved response bits are set", out error);
        var status = (DataStatus)header[4];
        int length = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (!Enum.IsDefined(status)) return Fail($"unknown response status {header[4]}", out error);
        if (length < 0) return Fail($"payload length {length} is negative", out error);
        int limit = status == DataStatus.Ok ? BlockSidecar.ChunkBytes : MaxMessageBytes;
        if (length > limit) return Fail($"payload of {length} bytes is over the limit of {limit} for status {status}", out error);
        response = new DataResponse(status, length);
        error = "";
        return true;
    }

    private static uint Check(ReadOnlySpan<byte> bytes) => (uint)XxHash3.HashToUInt64(bytes);

    private static bool Fail(string reason, out string error)
    {
        error = reason;
        return false;
    }
}
