namespace OrleansFs.Grains.Journal;

/// <summary>
/// How far a follower got: the checkpoint it loaded, the last record it applied, and per epoch the highest one,
/// which every tailer checks against the seals so a state a later epoch overtook is refused the same way.
/// </summary>
internal sealed class TailPosition
{
    private readonly Dictionary<long, long> _lastByEpoch = [];

    /// <summary>The last record applied (the checkpoint's sequence before any).</summary>
    public long LastSequence { get; private set; }
    public long CheckpointSequence { get; private set; }
    public long RecordsApplied { get; private set; }

    /// <summary>For each epoch records were applied from, the highest one (a copy).</summary>
    public IReadOnlyDictionary<long, long> LastSequenceByEpoch => new Dictionary<long, long>(_lastByEpoch);

    public void StartAt(long checkpointSequence)
    {
        CheckpointSequence = checkpointSequence;
        LastSequence = checkpointSequence;
    }

    public void Applied(long sequence, long epoch)
    {
        LastSequence = sequence;
        _lastByEpoch[epoch] = sequence;
        RecordsApplied++;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> when a seal now cuts off records already applied.</summary>
    public void CheckStillEffective(IReadOnlyList<EpochInfo> epochs)
    {
        foreach (var (epoch, last) in _lastByEpoch)
        {
            long bound = SealBounds.Of(epochs, epoch);
            if (last > bound)
                throw new InvalidDataException($"records of epoch {epoch} up to sequence {last} were applied, but a later epoch sealed it at {bound}");
        }
    }
}
