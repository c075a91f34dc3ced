using System.Text;

namespace OrleansFs.Grains.Lineage.Jobs;

/// <summary>The last <see cref="Capacity"/> bytes written to it (a ring), for a job's stdout or stderr.</summary>
public sealed class TailBuffer(int capacity)
{
    private readonly byte[] _ring = new byte[capacity];
    private long _written;

    public int Capacity => _ring.Length;

    /// <summary>Bytes written in all, kept or not.</summary>
    public long TotalBytes => Interlocked.Read(ref _written);

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_ring)
        {
            long skipped = Math.Max(0, data.Length - _ring.Length);
            _written += skipped;
            data = data[(int)skipped..];
            int at = (int)(_written % _ring.Length);
            int first = Math.Min(data.Length, _ring.Length - at);
            data[..first].CopyTo(_ring.AsSpan(at));
            data[first..].CopyTo(_ring);
            _written += data.Length;
        }
    }

    /// <summary>The kept bytes, oldest first.</summary>
    public byte[] ToArray()
    {
        lock (_ring)
        {
            if (_written <= _ring.Length) return _ring.AsSpan(0, (int)_written).ToArray();
            int at = (int)(_written % _ring.Length);
            return [.. _ring.AsSpan(at), .. _ring.AsSpan(0, at)];
        }
    }

    /// <summary>The kept bytes as text; a character cut at the start is replaced, not thrown over.</summary>
    public override string ToString() => Encoding.UTF8.GetString(ToArray());
}
