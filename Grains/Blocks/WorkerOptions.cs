namespace OrleansFs.Grains.Blocks;

/// <summary>Configuration section <c>Worker</c>: this silo's block store.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";
    public const string DefaultMemoryRoot = "/dev/shm/orleansfs";

    /// <summary>Memory tier directory (tmpfs). Default <c>/dev/shm/orleansfs/&lt;Name&gt;</c>.</summary>
    public string? MemoryDirectory { get; set; }
    /// <summary>Memory tier capacity; 0 means a quarter of the machine's memory.</summary>
    public long MemoryBytes { get; set; }
    /// <summary>Optional disk tier directory; no disk tier when unset.</summary>
    public string? DiskDirectory { get; set; }
    public long DiskBytes { get; set; }
    /// <summary>Names the default memory directory; the host sets it to the silo port so a restart finds its blocks.</summary>
    public string Name { get; set; } = "worker";
    /// <summary>TCP port of this silo's data endpoint for block bytes; 0 picks a free port (advertised in block locations).</summary>
    public int DataPort { get; set; }
    /// <summary>A data connection with no request (or a stalled frame) for this long is closed.</summary>
    public TimeSpan DataIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// Send verified memory-tier blocks to plain-TCP readers with sendfile instead of reading and copying them. Off by
    /// default: on loopback from tmpfs it cost client and worker more CPU per byte than the copy (docs/architecture.md).
    /// </summary>
    public bool DataSendFile { get; set; }

    /// <summary>
    /// How often every block is read and checked against its checksums (memory that flipped a bit, a file changed
    /// behind the worker's back); blocks found at start are checked once right away. Zero turns the periodic pass off.
    /// </summary>
    public TimeSpan ScrubInterval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Most block bytes the scrubber reads per second, so it never takes the CPU from the data path.</summary>
    public long ScrubBytesPerSecond { get; set; } = 256L << 20;

    internal string ResolvedMemoryDirectory => MemoryDirectory ?? Path.Join(DefaultMemoryRoot, Name);

    internal long ResolvedMemoryBytes =>
        MemoryBytes > 0 ? MemoryBytes : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;
}
