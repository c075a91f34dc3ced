using System.Buffers.Binary;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

public class RecordFrameTests
{
    private static byte[] Frame(long sequence, long epoch, ushort type, byte[] payload)
    {
        var frame = new byte[RecordFrame.FrameSize(payload.Length)];
        RecordFrame.Write(frame, sequence, epoch, type, payload);
        return frame;
    }

    [Fact]
    public void Round_trips_every_field()
    {
        byte[] payload = [1, 2, 3, 250, 0, 9];
        byte[] frame = Frame(123_456_789_012, 42, 0xBEEF, payload);

        Assert.Equal(FrameStatus.Valid, RecordFrame.TryRead(frame, out int size, out FrameHeader header));
        Assert.Equal(frame.Length, size);
        Assert.Equal(new FrameHeader(123_456_789_012, 42, 0xBEEF), header);
        Assert.Equal(payload, frame[RecordFrame.HeaderSize..size]);
    }

    [Fact]
    public void Layout_is_little_endian_length_crc_sequence_epoch_type_payload()
    {
        byte[] frame = Frame(5, 3, 2, [0xAA]);
        Assert.Equal((uint)frame.Length, BinaryPrimitives.ReadUInt32LittleEndian(frame));
        Assert.Equal(Crc32C.Compute(frame.AsSpan(8)), BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4)));
        Assert.Equal(5, BinaryPrimitives.ReadInt64LittleEndian(frame.AsSpan(8)));
        Assert.Equal(3, BinaryPrimitives.ReadInt64LittleEndian(frame.AsSpan(16)));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(24)));
        Assert.Equal(0xAA, frame[26]);
    }

    [Fact]
    public void Empty_payload_is_a_valid_frame()
    {
        byte[] frame = Frame(1, 1, 1, []);
        Assert.Equal(FrameStatus.Valid, RecordFrame.TryRead(frame, out int size, out _));
        Assert.Equal(RecordFrame.HeaderSize, size);
    }

    [Fact]
    public void Any_single_flipped_bit_is_detected()
    {
        byte[] original = Frame(77, 2, 9, "a payload of some length"u8.ToArray());
        for (int bit = 0; bit < original.Length * 8; bit++)
        {
            byte[] damaged = (byte[])original.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            FrameStatus status = RecordFrame.TryRead(damaged, out _, out _);
            Assert.NotEqual(FrameStatus.Valid, status);
        }
    }

    [Fact]
    public void A_cut_frame_is_incomplete_at_every_length()
    {
        byte[] frame = Frame(1, 1, 1, new byte[40]);
        for (int length = 0; length < frame.Length; length++)
            Assert.Equal(FrameStatus.Incomplete, RecordFrame.TryRead(frame.AsSpan(0, length), out _, out _));
    }

    [Fact]
    public void Impossible_lengths_are_bad_lengths()
    {
        byte[] frame = Frame(1, 1, 1, new byte[4]);
        BinaryPrimitives.WriteUInt32LittleEndian(frame, 3);
        Assert.Equal(FrameStatus.BadLength, RecordFrame.TryRead(frame, out _, out _));
        BinaryPrimitives.WriteUInt32LittleEndian(frame, RecordFrame.MaxFrameSize + 1u);
        Assert.Equal(FrameStatus.BadLength, RecordFrame.TryRead(frame, out _, out _));
    }
}
