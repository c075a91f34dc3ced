using OrleansFs.Blocks;

namespace OrleansFs.Lineage;

/// <summary>
/// Runs one lineage's job (key: the lineage id), one run at a time, on the live silo it is activated on. Callers that
/// arrive while a run is in flight wait for that run. Every attempt is journaled through the master
/// (<c>RecordLineageRun</c>), so a new activation after a failover knows what was done and numbers its run after it.
/// </summary>
public interface ILineageGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Runs the job once now (trigger Requested) so it writes the outputs at their own paths, retried up to
    /// <c>Lineage:MaxAttempts</c>; returns the last attempt. A repeat of <paramref name="requestId"/> waits for the same run.
    /// </summary>
    Task<LineageRun> Run(Guid requestId);

    /// <summary>
    /// Rebuilds the outputs whose blocks are lost (lost inputs first, recursively) and writes the bytes back into those
    /// blocks. Waits at most a bounded time per call: a run still going answers Unavailable (retry), a run that failed
    /// answers FileLost naming the lineage, the run and its exit code or exception.
    /// </summary>
    Task Recompute(BlockRef lostBlock);

    /// <summary>Records the checksum of an output that has just been completed, when none is recorded yet.</summary>
    Task OutputCompleted(string path);
}
