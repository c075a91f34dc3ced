using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// Reads the frames of one log segment front to back through a pooled buffer. The payload handed out
/// points into that buffer and is valid only until the next call to <see cref="Next"/>.
/// </summary>
internal sealed class SegmentReader : IDisposable
{
    private const int InitialBufferSize = 1 << 20;
    private readonly SafeFileHandle _handle;
    private byte[] _buffer;
    private long _bufferFileOffset; // file offset of _buffer[0]
    private int _start;             // next unread byte in _buffer
    private int _end;               // end of valid bytes in _buffer

    /// <param name="startOffset">Where to start reading: a frame boundary a previous reader reached (0 = the start).</param>
    public SegmentReader(string path, long startOffset = 0)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Length = RandomAccess.GetLength(_handle);
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        _bufferFileOffset = startOffset;
    }

    public long Length { get; }
    /// <summary>File offset of the item <see cref="Next"/> returned last.</summary>
    public long Offset { get; private set; }
    public FrameHeader Header { get; private set; }
    public ReadOnlyMemory<byte> Payload { get; private set; }
    public int FrameSize { get; private set; }
    /// <summary>Why the frame at <see cref="Offset"/> is damaged, when <see cref="Next"/> returned <see cref="SegmentItem.Damaged"/>.</summary>
    public FrameStatus Damage { get; private set; }

    public SegmentItem Next()
    {
        Offset = _bufferFileOffset + _start;
        if (Offset >= Length) return SegmentItem.End;
        FrameStatus status = RecordFrame.TryRead(_buffer.AsSpan(_start, _end - _start), out int frameSize, out FrameHeader header);
        while (status == FrameStatus.Incomplete && Fill(frameSize))
            status = RecordFrame.TryRead(_buffer.AsSpan(_start, _end - _start), out frameSize, out header);
        if (status != FrameStatus.Valid)
        {
            Damage = status;
            return SegmentItem.Damaged;
        }
        Header = header;
        FrameSize = frameSize;
        Payload = _buffer.AsMemory(_start + RecordFrame.HeaderSize, frameSize - RecordFrame.HeaderSize);
        _start += frameSize;
        return SegmentItem.Record;
    }

    /// <summary>
    /// True if a plausible, checksum-valid frame of <paramref name="epoch"/> with a sequence of at least
    /// <paramref name="minSequence"/> starts anywhere after <paramref name="damageOffset"/>: then the damage is
    /// not a torn tail. Cheap header checks come first so the scan stays linear on garbage.
    /// </summary>
    public bool HasValidFrameAfter(long damageOffset, long epoch, long minSequence)
    {
        byte[] window = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            for (long offset = damageOffset + 1; offset + RecordFrame.HeaderSize <= Length;)
            {
                int read = RandomAccess.Read(_handle, window, offset);
                int usable = read - RecordFrame.HeaderSize + 1;
                if (usable <= 0) return false;
                for (int i = 0; i < usable; i++)
                {
                    if (IsPlausibleHeader(window.AsSpan(i), offset + i, epoch, minSequence) && IsValidFrameAt(offset + i))
                        return true;
                }
                offset += usable;
            }
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    private bool IsPlausibleHeader(ReadOnlySpan<byte> at, long fileOffset, long epoch, long minSequence)
    {
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(at);
        if (length < RecordFrame.HeaderSize || length > RecordFrame.MaxFrameSize || fileOffset + length > Length) return false;
        long sequence = BinaryPrimitives.ReadInt64LittleEndian(at[8..]);
        return BinaryPrimitives.ReadInt64LittleEndian(at[16..]) == epoch && sequence >= minSequence && sequence - minSequence < int.MaxValue;
    }

    private bool IsValidFrameAt(long fileOffset)
    {
        Span<byte> lengthBytes = stackalloc byte[4];
        RandomAccess.Read(_handle, lengthBytes, fileOffset);
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        byte[] frame = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int read = RandomAccess.Read(_handle, frame.AsSpan(0, length), fileOffset);
            return RecordFrame.TryRead(frame.AsSpan(0, read), out _, out _) == FrameStatus.Valid;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>
    /// Moves the unread bytes to the front and reads as much as fits (growing the buffer to
    /// <paramref name="needed"/>). False if no more bytes became available: the file ends here.
    /// </summary>
    private bool Fill(int needed)
    {
        long fileOffset = _bufferFileOffset + _start;
        int availableBefore = _end - _start;
        if (needed > _buffer.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(needed);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        _bufferFileOffset = fileOffset;
        _start = 0;
        _end = 0;
        while (_end < _buffer.Length && _bufferFileOffset + _end < Length)
        {
            int read = RandomAccess.Read(_handle, _buffer.AsSpan(_end), _bufferFileOffset + _end);
            if (read == 0) break;
            _end += read;
        }
        return _end > availableBefore;
    }

    public void Dispose()
    {
        _handle.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
