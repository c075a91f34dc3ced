using OrleansFs.Grains.Master.Cleanup;

namespace OrleansFs.Tests.UnderStorageSync;

/// <summary>The real effects, failing with an I/O error while the gate is paused.</summary>
public sealed class GatedCleanupEffects(CleanupGate gate, ICleanupEffects inner) : ICleanupEffects
{
    public Task RunAsync(CleanupTask task, CancellationToken cancellationToken) =>
        gate.Paused ? Task.FromException(new IOException("under-storage unreachable (paused by the test)")) : inner.RunAsync(task, cancellationToken);
}
