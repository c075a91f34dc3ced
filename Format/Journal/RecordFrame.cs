using System.Buffers.Binary;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// The on-disk framing of one journal record, little-endian:
/// <c>u32 length | u32 crc32c | u64 sequence | u64 epoch | u16 type | payload</c>.
/// <c>length</c> counts the whole frame (header included); the CRC covers everything after itself.
/// </summary>
public static class RecordFrame
{
    public const int HeaderSize = 4 + 4 + 8 + 8 + 2;
    /// <summary>Upper bound on a frame, so a damaged length field cannot make a reader allocate gigabytes.</summary>
    public const int MaxFrameSize = 64 * 1024 * 1024;
    public const int MaxPayloadSize = MaxFrameSize - HeaderSize;

    private const int CrcOffset = 4;
    private const int CoveredOffset = 8;

    public static int FrameSize(int payloadLength) => HeaderSize + payloadLength;

    /// <summary>Writes one frame into the start of <paramref name="destination"/> and returns its size.</summary>
    public static int Write(Span<byte> destination, long sequence, long epoch, ushort type, ReadOnlySpan<byte> payload)
    {
        int size = FrameSize(payload.Length);
        Span<byte> frame = destination[..size];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)size);
        BinaryPrimitives.WriteInt64LittleEndian(frame[8..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(frame[16..], epoch);
        BinaryPrimitives.WriteUInt16LittleEndian(frame[24..], type);
        payload.CopyTo(frame[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[CrcOffset..], Crc32C.Compute(frame[CoveredOffset..]));
        return size;
    }

    /// <summary>
    /// Parses the frame at the start of <paramref name="source"/>. On <see cref="FrameStatus.Valid"/>,
    /// <paramref name="frameSize"/> is its size and the header fields are set; the payload is
    /// <c>source[HeaderSize..frameSize]</c>. On <see cref="FrameStatus.Incomplete"/>, <paramref name="frameSize"/>
    /// is the size the header claims (or <see cref="HeaderSize"/> if even the header is cut).
    /// </summary>
    public static FrameStatus TryRead(ReadOnlySpan<byte> source, out int frameSize, out FrameHeader header)
    {
        header = default;
        frameSize = HeaderSize;
        if (source.Length < 4) return FrameStatus.Incomplete;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(source);
        if (length < HeaderSize || length > MaxFrameSize) return FrameStatus.BadLength;
        frameSize = (int)length;
        if (source.Length < frameSize) return FrameStatus.Incomplete;
        ReadOnlySpan<byte> frame = source[..frameSize];
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(frame[CrcOffset..]);
        if (stored != Crc32C.Compute(frame[CoveredOffset..])) return FrameStatus.BadChecksum;
        header = new FrameHeader(
            BinaryPrimitives.ReadInt64LittleEndian(frame[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(frame[16..]),
            BinaryPrimitives.ReadUInt16LittleEndian(frame[24..]));
        return FrameStatus.Valid;
    }
}
