using System.Buffers.Binary;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// The checksum of a record row: CRC-32C over <c>u64 seq | u64 epoch | u16 type | payload</c>, little-endian,
/// which is exactly what the directory journal's frame checksum covers. Stored as a signed 32-bit integer.
/// </summary>
public static class PostgreSqlRecordChecksum
{
    public static int Compute(long sequence, long epoch, ushort type, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[8 + 8 + 2];
        BinaryPrimitives.WriteInt64LittleEndian(header, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], epoch);
        BinaryPrimitives.WriteUInt16LittleEndian(header[16..], type);
        uint crc = Crc32C.Update(Crc32C.Start, header);
        return unchecked((int)Crc32C.Finish(Crc32C.Update(crc, payload)));
    }
}
