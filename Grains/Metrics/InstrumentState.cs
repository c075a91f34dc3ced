namespace OrleansFs.Grains.Metrics;

/// <summary>Running aggregates of one instrument, updated from any thread under its own lock.</summary>
internal sealed class InstrumentState
{
    private readonly object _gate = new();
    private readonly double[] _window;
    private int _windowNext;
    private int _windowFilled;

    public InstrumentState(string name, string kind, string? unit, int windowSamples)
    {
        Name = name;
        Kind = kind;
        Unit = unit;
        _window = new double[windowSamples];
    }

    public string Name { get; }
    public string Kind { get; }
    public string? Unit { get; }

    private double _total;
    private long _count;
    private double _max = double.MinValue;
    private double _last;

    public void Record(double value)
    {
        lock (_gate)
        {
            _total += value;
            _count++;
            _last = value;
            if (value > _max) _max = value;
        }
    }

    /// <summary>Observable instruments report a running total themselves; keep the latest.</summary>
    public void Observe(double value)
    {
        lock (_gate)
        {
            _total = value;
            _count++;
            _last = value;
            if (value > _max) _max = value;
        }
    }

    /// <summary>Remembers the current total once per tick so the rate covers a sliding window.</summary>
    public void Sample()
    {
        lock (_gate)
        {
            _window[_windowNext] = _total;
            _windowNext = (_windowNext + 1) % _window.Length;
            if (_windowFilled < _window.Length) _windowFilled++;
        }
    }

    public InstrumentSnapshot Snapshot(TimeSpan tick)
    {
        lock (_gate)
        {
            double rate = 0;
            if (_windowFilled > 0)
            {
                int oldest = _windowFilled < _window.Length ? 0 : _windowNext;
                rate = (_total - _window[oldest]) / (_windowFilled * tick.TotalSeconds);
            }
            double? mean = _count > 0 ? _total / _count : null;
            double? max = _count > 0 ? _max : null;
            double? last = _count > 0 ? _last : null;
            return new InstrumentSnapshot(Name, Kind, Unit, _total, Math.Max(0, rate), _count, mean, max, last);
        }
    }
}
