namespace OrleansFs.Silo.Configuration;

/// <summary>The `Worker` section: how much memory this silo may give to file blocks.</summary>
public sealed class WorkerSettings
{
    public const string Section = "Worker";

    /// <summary>Bytes of block memory; 0 (the default) means a quarter of the machine's memory.</summary>
    public long MemoryBytes { get; set; }

    /// <summary>TCP port of the data endpoint for block bytes; 0 (the default) picks a free port.</summary>
    public int DataPort { get; set; }

    public long EffectiveMemoryBytes =>
        MemoryBytes > 0 ? MemoryBytes : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;
}
