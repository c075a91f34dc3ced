using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// A checkpoint on disk: a fixed header, then the master's snapshot as written.
/// Header, little-endian: <c>u64 magic | u32 version | u32 reserved | u64 asOfSequence | u64 epoch |
/// u64 bodyLength | u32 bodyCrc32c | u32 headerCrc32c</c>. The body checksum is known only after streaming,
/// so the header is written last, over a placeholder.
/// </summary>
public static partial class CheckpointFile
{
    public const int HeaderSize = 48;
    private const ulong Magic = 0x31_54_50_4B_43_53_46_4F; // "OFSCKPT1"
    private const uint Version = 1;
    private const int BufferSize = 256 * 1024;

    /// <summary>Streams a checkpoint into <paramref name="path"/> and (optionally) fsyncs it. Returns the body length.</summary>
    public static async Task<long> WriteAsync(string path, long asOfSequence, long epoch,
        Func<Stream, CancellationToken, Task> write, bool fsync, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, BufferSize, useAsync: false);
        file.Write(new byte[HeaderSize]);
        var body = new ChecksummingWriteStream(file);
        await write(body, cancellationToken);
        file.Position = 0;
        var header = new byte[HeaderSize];
        WriteHeader(header, new CheckpointHeader(asOfSequence, epoch, body.BytesWritten, body.Checksum));
        file.Write(header);
        file.Flush(flushToDisk: fsync);
        return body.BytesWritten;
    }

    /// <summary>Checks header and body checksums. Returns null if valid, otherwise why not.</summary>
    public static string? Validate(string path, out CheckpointHeader header)
    {
        header = default;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(handle);
        if (length < HeaderSize) return $"shorter ({length} bytes) than a checkpoint header";
        Span<byte> raw = stackalloc byte[HeaderSize];
        RandomAccess.Read(handle, raw, 0);
        string? headerProblem = ReadHeader(raw, out header);
        if (headerProblem is not null) return headerProblem;
        if (length != HeaderSize + header.BodyLength)
            return $"is {length} bytes but its header says {HeaderSize + header.BodyLength}";
        uint crc = ChecksumOf(handle, HeaderSize, length);
        return crc == header.BodyChecksum ? null : $"body checksum mismatch (stored {header.BodyChecksum:x8}, computed {crc:x8})";
    }

    /// <summary>
    /// Loads the newest checkpoint of <paramref name="layout"/> whose checksums hold; damaged ones are skipped with a
    /// warning. Returns its sequence and when it was written, or (0, null) if there is none.
    /// </summary>
    public static async Task<(long Sequence, DateTimeOffset? WrittenAt)> LoadNewestAsync(JournalLayout layout,
        Func<Stream, CancellationToken, Task> load, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (long sequence in layout.ListCheckpoints())
        {
            string path = layout.CheckpointPath(sequence);
            string? problem = Validate(path, out CheckpointHeader header);
            if (problem is null && header.AsOfSequence != sequence)
                problem = $"its header says sequence {header.AsOfSequence}";
            if (problem is not null)
            {
                LogDamagedCheckpointSkipped(logger, path, problem);
                continue;
            }
            await using (Stream body = OpenBody(path))
                await load(body, cancellationToken);
            return (sequence, File.GetLastWriteTimeUtc(path));
        }
        return (0, null);
    }

    /// <summary>Opens the body of a validated checkpoint for the master to load.</summary>
    public static Stream OpenBody(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        file.Position = HeaderSize;
        return file;
    }

    private static uint ChecksumOf(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long from, long to)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            uint crc = Crc32C.Start;
            for (long offset = from; offset < to;)
            {
                int read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, to - offset)), offset);
                if (read == 0) break;
                crc = Crc32C.Update(crc, buffer.AsSpan(0, read));
                offset += read;
            }
            return Crc32C.Finish(crc);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void WriteHeader(Span<byte> raw, CheckpointHeader header)
    {
        raw.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(raw, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(raw[8..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(raw[16..], header.AsOfSequence);
        BinaryPrimitives.WriteInt64LittleEndian(raw[24..], header.Epoch);
        BinaryPrimitives.WriteInt64LittleEndian(raw[32..], header.BodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(raw[40..], header.BodyChecksum);
        BinaryPrimitives.WriteUInt32LittleEndian(raw[44..], Crc32C.Compute(raw[..44]));
    }

    private static string? ReadHeader(ReadOnlySpan<byte> raw, out CheckpointHeader header)
    {
        header = default;
        if (BinaryPrimitives.ReadUInt64LittleEndian(raw) != Magic) return "not a checkpoint (bad magic)";
        if (BinaryPrimitives.ReadUInt32LittleEndian(raw[44..]) != Crc32C.Compute(raw[..44])) return "header checksum mismatch";
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(raw[8..]);
        if (version != Version) return $"unsupported checkpoint version {version}";
        header = new CheckpointHeader(
            BinaryPrimitives.ReadInt64LittleEndian(raw[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(raw[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(raw[32..]),
            BinaryPrimitives.ReadUInt32LittleEndian(raw[40..]));
        return null;
    }

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "Skipping damaged checkpoint {File}: {Problem}")]
    private static partial void LogDamagedCheckpointSkipped(ILogger logger, string file, string problem);
}
