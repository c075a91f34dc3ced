namespace OrleansFs.Bench;

/// <summary>One timed transfer.</summary>
internal sealed record Measurement(string Name, int Clients, long Bytes, TimeSpan Elapsed)
{
    public double GBps => Bytes / Elapsed.TotalSeconds / 1e9;

    public override string ToString() => $"{Name,-34} clients={Clients}  {Bytes / (1 << 20),6} MiB  {Elapsed.TotalSeconds,7:0.000} s  {GBps,6:0.000} GB/s";
}
