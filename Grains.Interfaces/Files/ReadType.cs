namespace OrleansFs.Files;

/// <summary>How a read treats the memory tier, as in Alluxio.</summary>
public enum ReadType
{
    Cache = 0,
    NoCache = 1,
    CachePromote = 2,
}
