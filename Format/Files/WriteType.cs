namespace OrleansFs.Files;

/// <summary>Where a write goes, as in Alluxio 2.x. ASYNC_THROUGH is the default.</summary>
public enum WriteType
{
    AsyncThrough = 0,
    MustCache = 1,
    CacheThrough = 2,
    Through = 3,
}
