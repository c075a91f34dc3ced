namespace OrleansFs.Master;

/// <summary>Why the master activation moved, as the new master read it off the membership table.</summary>
[GenerateSerializer]
public enum TakeoverCause
{
    /// <summary>The previous master's silo was not found in the membership table (for example Localhost membership after a restart).</summary>
    Unknown = 0,
    /// <summary>No earlier master is recorded in the journal.</summary>
    FirstStart = 1,
    /// <summary>The previous master's silo was declared dead by other silos (killed, crashed, paused, cut off).</summary>
    SiloFailed = 2,
    /// <summary>The previous master's silo was shutting down or declared itself dead: nothing had to be detected.</summary>
    GracefulMove = 3,
    /// <summary>The previous master's silo is still a member: the old activation stopped on its own (fenced, journal failure).</summary>
    MasterStopped = 4,
}
