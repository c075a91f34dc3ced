using OrleansFs.Grains.Master.State;
using OrleansFs.Master;

namespace OrleansFs.Grains.Failover.Standby;

/// <summary>
/// One immutable state of a warm standby and the journal position it reflects, published after every record
/// it applies. <see cref="Reader"/> is a state machine over that snapshot alone, used only for queries, so a
/// read answers with the master's own query code and never sees the standby half-way through a record.
/// On the master's own silo the master publishes its state the same way after every append
/// (<paramref name="OfMaster"/>), so reads there run on every core instead of queueing for the master activation.
/// </summary>
public sealed record StandbyView(MasterStateMachine Reader, JournalPosition Position, bool OfMaster = false)
{
    /// <summary>Whether the view may still answer: always for a standby's copy, the master's lease for its own.</summary>
    public Func<bool> IsCurrent { get; init; } = static () => true;
}
