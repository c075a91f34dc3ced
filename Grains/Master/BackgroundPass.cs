namespace OrleansFs.Grains.Master;

/// <summary>
/// At most one pass of a master's background job at a time. A kick while a pass runs is dropped: that pass, or the
/// next kick, sees the newer state. Called from the master's turn, so it needs no lock.
/// </summary>
public sealed class BackgroundPass
{
    private Task _running = Task.CompletedTask;

    /// <summary>Starts <paramref name="pass"/> unless one is running.</summary>
    public void Kick(Func<Task> pass)
    {
        if (_running.IsCompleted) _running = pass();
    }

    /// <summary>Waits for the pass in flight; a pass logs its own failures.</summary>
    public async Task StopAsync()
    {
        try { await _running; } catch { /* logged by the pass */ }
    }
}
