using OrleansFs.Files;

namespace OrleansFs.Client.Streams;

public sealed record OpenFileOptions
{
    public ReadType ReadType { get; init; } = ReadType.Cache;
    /// <summary>Read block files directly from a worker's tmpfs when it is on this machine.</summary>
    public bool ShortCircuit { get; init; } = true;
    /// <summary>Stream remote blocks from the data endpoint of the worker caching them, rather than through grain calls.</summary>
    public bool DataEndpoint { get; init; } = true;
    /// <summary>Chunks fetched ahead of the reader on the grain-call path.</summary>
    public int ReadAheadChunks { get; init; } = 4;
}
