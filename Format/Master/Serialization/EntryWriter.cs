using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace OrleansFs.Grains.Master.Serialization;

/// <summary>
/// A compact binary writer over a buffer rented from <see cref="ArrayPool{T}"/>: varints, fixed-width
/// integers, GUIDs and length-prefixed UTF-8 strings. Used for journal entries and checkpoint records.
/// The caller owns the rented buffer after <see cref="Detach"/> or must call <see cref="Dispose"/>.
/// </summary>
public ref struct EntryWriter
{
    private byte[] _buffer;
    private int _position;

    public EntryWriter(int initialCapacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
        _position = 0;
    }

    public readonly int Length => _position;
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_position++] = value;
    }

    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>Unsigned LEB128; small non-negative numbers take one byte.</summary>
    public void WriteVarUInt64(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[_position++] = (byte)value;
    }

    /// <summary>Zig-zag encoded so that -1 (no TTL) stays one byte.</summary>
    public void WriteVarInt64(long value) => WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    public void WriteInt64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void WriteGuid(Guid value)
    {
        Ensure(16);
        value.TryWriteBytes(_buffer.AsSpan(_position));
        _position += 16;
    }

    public void WriteString(string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Ensure(max + 5);
        int count = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt64((ulong)count);
        _position += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position));
    }

    public void WriteNullableString(string? value)
    {
        WriteBool(value is not null);
        if (value is not null) WriteString(value);
    }

    /// <summary>Reserves four bytes for a length written later with <see cref="PatchInt32"/>.</summary>
    public int ReserveInt32()
    {
        Ensure(4);
        int at = _position;
        _position += 4;
        return at;
    }

    public readonly void PatchInt32(int at, int value) =>
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(at), value);

    /// <summary>Forgets what was written but keeps the buffer, for reuse between checkpoint chunks.</summary>
    public void Reset() => _position = 0;

    /// <summary>Hands the rented buffer to the caller, who returns it to the pool.</summary>
    public byte[] Detach(out int length)
    {
        length = _position;
        byte[] buffer = _buffer;
        _buffer = [];
        _position = 0;
        return buffer;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Ensure(int count)
    {
        if (_position + count <= _buffer.Length) return;
        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + count));
        _buffer.AsSpan(0, _position).CopyTo(bigger);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
