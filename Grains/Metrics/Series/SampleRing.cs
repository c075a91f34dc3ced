namespace OrleansFs.Grains.Metrics.Series;

/// <summary>
/// A fixed-size ring of samples: once full, each new sample overwrites the oldest. Its array is allocated
/// once, so pushing a sample allocates nothing. Not thread-safe: its owner serialises pushes and reads.
/// </summary>
public sealed class SampleRing
{
    private readonly double[] _samples;
    private int _next;

    public SampleRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _samples = new double[capacity];
    }

    public int Capacity => _samples.Length;

    /// <summary>How many samples it holds, at most <see cref="Capacity"/>.</summary>
    public int Count { get; private set; }

    public void Push(double value)
    {
        _samples[_next] = value;
        _next = (_next + 1) % _samples.Length;
        if (Count < _samples.Length) Count++;
    }

    /// <summary>Pushes <paramref name="value"/> until the ring holds <paramref name="count"/> samples (or is full).</summary>
    public void PadTo(int count, double value)
    {
        while (Count < Math.Min(count, Capacity)) Push(value);
    }

    /// <summary>The sample <paramref name="index"/> places after the oldest one held.</summary>
    public double this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _samples[(Oldest + index) % _samples.Length];
        }
    }

    /// <summary>Copies the samples, oldest first, into <paramref name="destination"/>; returns how many.</summary>
    public int CopyTo(Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Count, nameof(destination));
        int oldest = Oldest;
        int firstPart = Math.Min(Count, _samples.Length - oldest);
        _samples.AsSpan(oldest, firstPart).CopyTo(destination);
        _samples.AsSpan(0, Count - firstPart).CopyTo(destination[firstPart..]);
        return Count;
    }

    public double[] ToArray()
    {
        var copy = new double[Count];
        CopyTo(copy);
        return copy;
    }

    private int Oldest => Count < _samples.Length ? 0 : _next;
}
