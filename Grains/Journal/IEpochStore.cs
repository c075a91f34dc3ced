namespace OrleansFs.Grains.Journal;

/// <summary>
/// Where master epochs are taken and sealed. The log code only talks to this, so the epoch can move to
/// ZooKeeper (version-checked setData, sync+getData) or PostgreSQL (conditional UPDATE) without touching it.
/// </summary>
public interface IEpochStore
{
    /// <summary>Human-readable location, for logs and errors.</summary>
    string Location { get; }

    /// <summary>Takes a new epoch, higher than every epoch ever taken, exclusively (no two callers get the same).</summary>
    Task<long> TakeNextAsync(CancellationToken cancellationToken);

    /// <summary>Every epoch taken so far with its seal, ascending.</summary>
    Task<IReadOnlyList<EpochInfo>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records, durably, that the epochs before <paramref name="epoch"/> end at <paramref name="lastSequence"/>:
    /// replay ignores their records beyond it.
    /// </summary>
    Task SealAsync(long epoch, long lastSequence, CancellationToken cancellationToken);

    /// <summary>True once an epoch newer than <paramref name="epoch"/> has been taken. Never answers from a stale cache.</summary>
    ValueTask<bool> IsSupersededAsync(long epoch, CancellationToken cancellationToken);
}
