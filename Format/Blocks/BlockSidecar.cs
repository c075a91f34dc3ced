using System.Buffers.Binary;
using System.IO.Hashing;

namespace OrleansFs.Blocks;

/// <summary>
/// The small file kept beside each block file (<c>&lt;blockId&gt;.meta</c>): length, one XxHash3 per
/// 1 MiB chunk, and the pinned/persisted flags. Per-chunk hashes let a positional read verify only the
/// chunks it touches. A restarted worker rebuilds its index from these files; a same-host client reads
/// them to verify block files it reads directly.
/// </summary>
public sealed class BlockSidecar
{
    public const int ChunkBytes = 1 << 20;
    private const uint Magic = 0x4253464F; // "OFSB"
    private const ushort Version = 1;
    private const int HeaderBytes = 4 + 2 + 2 + 8 + 8 + 4;

    public BlockSidecar(long blockId, long length, ulong[] chunkHashes, bool pinned, bool persisted)
    {
        if (chunkHashes.Length != ChunkCount(length))
            throw new ArgumentException($"block {blockId}: {chunkHashes.Length} hashes for {length} bytes");
        BlockId = blockId;
        Length = length;
        ChunkHashes = chunkHashes;
        Pinned = pinned;
        Persisted = persisted;
    }

    public long BlockId { get; }
    public long Length { get; }
    public ulong[] ChunkHashes { get; }
    public bool Pinned { get; set; }
    public bool Persisted { get; set; }

    public static int ChunkCount(long length) => (int)((length + ChunkBytes - 1) / ChunkBytes);

    public static ulong Hash(ReadOnlySpan<byte> chunk) => XxHash3.HashToUInt64(chunk);

    /// <summary>A hash of the chunk hashes: one number that identifies the block's contents.</summary>
    public ulong ContentHash() => ContentHashOf(ChunkHashes);

    /// <summary>The content hash of a block with these chunk hashes, as a writer computes it to check what a worker stored.</summary>
    public static ulong ContentHashOf(ReadOnlySpan<ulong> chunkHashes) =>
        XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(chunkHashes));

    public byte[] Serialize()
    {
        var bytes = new byte[HeaderBytes + ChunkHashes.Length * 8 + 8];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], (ushort)((Pinned ? 1 : 0) | (Persisted ? 2 : 0)));
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], BlockId);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], ChunkHashes.Length);
        for (int i = 0; i < ChunkHashes.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(span[(HeaderBytes + i * 8)..], ChunkHashes[i]);
        int body = bytes.Length - 8;
        BinaryPrimitives.WriteUInt64LittleEndian(span[body..], XxHash3.HashToUInt64(span[..body]));
        return bytes;
    }

    /// <summary>Parses a sidecar; null when it is torn, corrupt or of another version.</summary>
    public static BlockSidecar? TryParse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes + 8) return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic) return null;
        if (BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]) != Version) return null;
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]);
        if (count < 0 || bytes.Length != HeaderBytes + count * 8L + 8) return null;
        int body = bytes.Length - 8;
        if (BinaryPrimitives.ReadUInt64LittleEndian(bytes[body..]) != XxHash3.HashToUInt64(bytes[..body])) return null;
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
        long blockId = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        long length = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]);
        if (length < 0 || ChunkCount(length) != count) return null;
        var hashes = new ulong[count];
        for (int i = 0; i < count; i++) hashes[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(HeaderBytes + i * 8)..]);
        return new BlockSidecar(blockId, length, hashes, (flags & 1) != 0, (flags & 2) != 0);
    }

    public static BlockSidecar? TryLoad(string path)
    {
        try { return TryParse(File.ReadAllBytes(path)); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }
}
