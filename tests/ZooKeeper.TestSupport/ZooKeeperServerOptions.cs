namespace OrleansFs.TestSupport;

/// <summary>zoo.cfg settings for test servers. Short ticks keep expiry and elections fast.</summary>
public sealed record ZooKeeperServerOptions
{
    public int TickTimeMs { get; init; } = 500;

    /// <summary>Sessions may ask for this little (default 2 ticks = 1 s), so expiry tests finish quickly.</summary>
    public int MinSessionTimeoutMs { get; init; } = 1000;

    public int MaxSessionTimeoutMs { get; init; } = 30_000;

    /// <summary>Extra zoo.cfg lines, e.g. <c>forceSync=no</c>.</summary>
    public IReadOnlyList<string> ExtraConfig { get; init; } = [];

    /// <summary>
    /// Election notifications back off up to 60 s by default; a cap of 1 s keeps a starting or healing ensemble from
    /// waiting out a long backoff when its members come up a second apart on a busy machine.
    /// </summary>
    public string JvmOptions { get; init; } =
        "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dzookeeper.fastleader.maxNotificationInterval=1000 " +
        "-Dorg.slf4j.simpleLogger.showDateTime=true";
}
