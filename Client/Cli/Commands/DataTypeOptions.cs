using System.CommandLine;
using OrleansFs.Files;

namespace OrleansFs.Cli.Commands;

/// <summary>`--write-type` and `--read-type`, spelled as in Alluxio (MUST_CACHE, CACHE_THROUGH, ...).</summary>
internal static class DataTypeOptions
{
    public static Option<string> WriteType() => new("--write-type")
    {
        Description = "MUST_CACHE, CACHE_THROUGH, THROUGH or ASYNC_THROUGH (default)",
        DefaultValueFactory = _ => "ASYNC_THROUGH",
    };

    public static Option<string> ReadType() => new("--read-type")
    {
        Description = "CACHE (default), NO_CACHE or CACHE_PROMOTE",
        DefaultValueFactory = _ => "CACHE",
    };

    public static WriteType ParseWriteType(string text) => Normalize(text) switch
    {
        "MUSTCACHE" => Files.WriteType.MustCache,
        "CACHETHROUGH" => Files.WriteType.CacheThrough,
        "THROUGH" => Files.WriteType.Through,
        "ASYNCTHROUGH" => Files.WriteType.AsyncThrough,
        _ => throw new ArgumentException($"unknown write type '{text}' (MUST_CACHE, CACHE_THROUGH, THROUGH, ASYNC_THROUGH)"),
    };

    public static ReadType ParseReadType(string text) => Normalize(text) switch
    {
        "CACHE" => Files.ReadType.Cache,
        "NOCACHE" => Files.ReadType.NoCache,
        "CACHEPROMOTE" => Files.ReadType.CachePromote,
        _ => throw new ArgumentException($"unknown read type '{text}' (CACHE, NO_CACHE, CACHE_PROMOTE)"),
    };

    private static string Normalize(string text) => text.Replace("_", "").Replace("-", "").ToUpperInvariant();
}
