namespace OrleansFs.Grains.Journal;

/// <summary>
/// A state already rebuilt from the journal by someone else (the warm standby's <see cref="JournalTailer"/>),
/// offered to <see cref="IJournal.RecoverAsync"/> so recovery replays only what follows it.
/// </summary>
/// <param name="LastSequence">The last record the state holds; records are applied densely from the checkpoint it started at.</param>
/// <param name="LastSequenceByEpoch">For each epoch the state took records from, the highest such record.</param>
/// <param name="Reject">
/// Called when the journal refuses the state (a seal written since ends an epoch before records the state
/// holds, or the records after it are gone): the caller must reset to an empty state, which the journal then
/// rebuilds from the newest checkpoint as usual.
/// </param>
public sealed record JournalResume(long LastSequence, IReadOnlyDictionary<long, long> LastSequenceByEpoch, Action Reject)
{
    /// <summary>Null if every record the state holds is still in the effective history, otherwise why not.</summary>
    public string? WhyNotEffective(IReadOnlyList<EpochInfo> epochs)
    {
        foreach (var (epoch, last) in LastSequenceByEpoch)
        {
            long bound = SealBounds.Of(epochs, epoch);
            if (last > bound)
                return $"it holds records of epoch {epoch} up to sequence {last}, but a later epoch sealed that epoch at {bound}";
        }
        return null;
    }
}
