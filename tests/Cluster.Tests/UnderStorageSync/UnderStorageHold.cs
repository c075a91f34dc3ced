using OrleansFs.Paths;

namespace OrleansFs.Tests.UnderStorageSync;

/// <summary>Lets a test make every under-storage call below one path hang, as on an NFS mount that stopped answering.</summary>
public sealed class UnderStorageHold
{
    // A failing test must not hang the suite: a held call gives up after this long.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly ManualResetEventSlim _released = new(true);
    private volatile string? _prefix;
    private int _entered;

    /// <summary>Calls under <paramref name="prefix"/> hang from now until <see cref="Release"/>.</summary>
    public void Hold(string prefix)
    {
        Interlocked.Exchange(ref _entered, 0);
        _released.Reset();
        _prefix = prefix;
    }

    public void Release()
    {
        _prefix = null;
        _released.Set();
    }

    /// <summary>Calls that reached the under-storage and hang there.</summary>
    public int Entered => Volatile.Read(ref _entered);

    public bool Holds(FsPath path) =>
        _prefix is { } prefix && (path.Value == prefix || path.Value.StartsWith(prefix + "/", StringComparison.Ordinal));

    public void Enter() => Interlocked.Increment(ref _entered);

    /// <summary>Blocks the calling thread, as a system call on a hung mount does.</summary>
    public void Block()
    {
        if (!_released.Wait(Limit)) throw new IOException("under-storage call held past the test's limit");
    }
}
