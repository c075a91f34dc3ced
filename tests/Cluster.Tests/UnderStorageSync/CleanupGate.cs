namespace OrleansFs.Tests.UnderStorageSync;

/// <summary>Lets a test hold the master's cleanups back, as an unreachable under-storage would.</summary>
public sealed class CleanupGate
{
    private volatile bool _paused;

    public void Pause() => _paused = true;
    public void Resume() => _paused = false;
    public bool Paused => _paused;
}
