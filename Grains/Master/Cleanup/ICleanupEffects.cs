namespace OrleansFs.Grains.Master.Cleanup;

/// <summary>
/// Carries a <see cref="CleanupTask"/> out: under-storage files and worker blocks. Must be idempotent (a new
/// master re-runs what the old one may already have done). Throwing <see cref="Errors.FsException"/> means
/// the task can never succeed (it is logged and dropped); any other exception is retried later.
/// </summary>
public interface ICleanupEffects
{
    Task RunAsync(CleanupTask task, CancellationToken cancellationToken);
}
