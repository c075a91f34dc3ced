using System.Buffers.Binary;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of journal records and checkpoints. System.IO.Hashing 10.0.3 has
/// only the IEEE CRC-32, so this uses the CPU's CRC32 instruction (SSE4.2 or ARMv8) and falls back to a
/// slicing-by-8 table where neither exists.
/// </summary>
public static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78u;
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final xor 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Start, data));

    /// <summary>The running state before any data; feed it to <see cref="Update"/>, then <see cref="Finish"/>.</summary>
    public const uint Start = 0xFFFFFFFFu;

    public static uint Finish(uint state) => state ^ 0xFFFFFFFFu;

    public static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported) return UpdateSse42X64(state, data);
        if (Sse42.IsSupported) return UpdateSse42(state, data);
        if (Crc32.Arm64.IsSupported) return UpdateArm64(state, data);
        return UpdateSoftware(state, data);
    }

    private static uint UpdateSse42X64(uint state, ReadOnlySpan<byte> data)
    {
        ulong crc = state;
        while (data.Length >= 8)
        {
            crc = Sse42.X64.Crc32(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        return UpdateSse42((uint)crc, data);
    }

    private static uint UpdateSse42(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 4)
        {
            crc = Sse42.Crc32(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }
        foreach (byte b in data) crc = Sse42.Crc32(crc, b);
        return crc;
    }

    private static uint UpdateArm64(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = Crc32.Arm64.ComputeCrc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data) crc = Crc32.ComputeCrc32C(crc, b);
        return crc;
    }

    internal static uint UpdateSoftware(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] t = Table;
        while (data.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t[7 * 256 + (low & 0xFF)] ^ t[6 * 256 + ((low >> 8) & 0xFF)]
                ^ t[5 * 256 + ((low >> 16) & 0xFF)] ^ t[4 * 256 + (low >> 24)]
                ^ t[3 * 256 + (high & 0xFF)] ^ t[2 * 256 + ((high >> 8) & 0xFF)]
                ^ t[1 * 256 + ((high >> 16) & 0xFF)] ^ t[high >> 24];
            data = data[8..];
        }
        foreach (byte b in data) crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint crc = i;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            table[i] = crc;
        }
        // Slice k holds the CRC of a byte followed by k zero bytes.
        for (int slice = 1; slice < 8; slice++)
            for (int i = 0; i < 256; i++)
            {
                uint previous = table[(slice - 1) * 256 + i];
                table[slice * 256 + i] = table[previous & 0xFF] ^ (previous >> 8);
            }
        return table;
    }
}
