namespace OrleansFs.Grains.Metrics.Series;

/// <summary>
/// Durations recorded since the last <see cref="Take"/>, counted into fixed logarithmic buckets
/// (each 10% wider than the one before, 10 µs to about 2 minutes), so recording from any thread is one
/// interlocked increment and reading quantiles allocates nothing. A quantile is the upper bound of the bucket
/// it falls in: at most 10% above the true value.
/// </summary>
public sealed class LatencyQuantiles
{
    private const double Smallest = 0.00001;
    private const double Growth = 1.1;
    private const int BucketCount = 172;
    private static readonly double LogGrowth = Math.Log(Growth);

    private readonly long[] _counts = new long[BucketCount];
    private readonly long[] _taken = new long[BucketCount];
    private long _takenTotal;

    public void Record(double seconds)
    {
        Interlocked.Increment(ref _counts[BucketOf(seconds)]);
    }

    /// <summary>Moves the counts recorded so far aside for <see cref="Quantile"/>, starting the next interval at zero.</summary>
    public void Take()
    {
        _takenTotal = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            _taken[i] = Interlocked.Exchange(ref _counts[i], 0);
            _takenTotal += _taken[i];
        }
    }

    /// <summary>How many durations the last <see cref="Take"/> moved aside.</summary>
    public long TakenCount => _takenTotal;

    /// <summary>The <paramref name="q"/> quantile (0..1) in seconds of the durations last taken; NaN when there were none.</summary>
    public double Quantile(double q)
    {
        if (_takenTotal == 0) return double.NaN;
        long rank = Math.Max(1, (long)Math.Ceiling(q * _takenTotal));
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _taken[i];
            if (seen >= rank) return UpperBound(i);
        }
        return UpperBound(BucketCount - 1);
    }

    internal static int BucketOf(double seconds)
    {
        if (!(seconds > Smallest)) return 0;
        int bucket = (int)Math.Ceiling(Math.Log(seconds / Smallest) / LogGrowth);
        return Math.Min(bucket, BucketCount - 1);
    }

    internal static double UpperBound(int bucket) => Smallest * Math.Pow(Growth, bucket);
}
