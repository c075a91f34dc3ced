using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace OrleansFs.Grains.Master.Serialization;

/// <summary>Reads what <see cref="EntryWriter"/> wrote; throws <see cref="InvalidDataException"/> on short or malformed input.</summary>
public ref struct EntryReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public EntryReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte()
    {
        Need(1);
        return _data[_position++];
    }

    public bool ReadBool() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var b => throw new InvalidDataException($"invalid boolean byte {b} at offset {_position - 1}"),
    };

    public ulong ReadVarUInt64()
    {
        ulong result = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            byte b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw new InvalidDataException($"varint too long at offset {_position}");
    }

    public long ReadVarInt64()
    {
        ulong raw = ReadVarUInt64();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public int ReadVarInt32()
    {
        ulong raw = ReadVarUInt64();
        if (raw > int.MaxValue) throw new InvalidDataException($"count {raw} out of range at offset {_position}");
        return (int)raw;
    }

    public long ReadInt64()
    {
        Need(8);
        long value = BinaryPrimitives.ReadInt64LittleEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    public Guid ReadGuid()
    {
        Need(16);
        var value = new Guid(_data.Slice(_position, 16));
        _position += 16;
        return value;
    }

    public string ReadString()
    {
        int count = ReadVarInt32();
        Need(count);
        string value = Encoding.UTF8.GetString(_data.Slice(_position, count));
        _position += count;
        return value;
    }

    public string? ReadNullableString() => ReadBool() ? ReadString() : null;

    /// <summary>Reads an enum stored as one byte and checks it is a defined value.</summary>
    public TEnum ReadEnum<TEnum>() where TEnum : struct, Enum
    {
        // Every enum in the contract is int-backed; reinterpreting avoids boxing on the checkpoint path.
        int raw = ReadByte();
        TEnum value = Unsafe.As<int, TEnum>(ref raw);
        if (!Enum.IsDefined(value)) throw new InvalidDataException($"invalid {typeof(TEnum).Name} value {raw} at offset {_position - 1}");
        return value;
    }

    private readonly void Need(int count)
    {
        if (count < 0 || _position + count > _data.Length)
            throw new InvalidDataException($"record ends early: need {count} bytes at offset {_position} of {_data.Length}");
    }
}
