using OrleansFs.Grains.Master.State;
using OrleansFs.Grains.Master;

namespace OrleansFs.Grains.Failover.Standby;

/// <summary>The namespace a warm standby rebuilt from the journal, handed to the master activating on its silo.</summary>
/// <param name="LastSequence">The last journal record <paramref name="Machine"/> holds.</param>
/// <param name="LastSequenceByEpoch">For each epoch it took records from, the highest one.</param>
public sealed record StandbyState(MasterStateMachine Machine, long LastSequence, IReadOnlyDictionary<long, long> LastSequenceByEpoch);
