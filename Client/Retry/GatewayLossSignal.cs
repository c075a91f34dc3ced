namespace OrleansFs.Client.Retry;

/// <summary>
/// Fires when the client loses a gateway connection. A call in flight to a silo that died is not failed by
/// Orleans until its response timeout; a lost connection is the first sign of that death, so every attempt in
/// flight is abandoned then and retried (with its request id) instead of waiting out the timeout.
/// </summary>
public sealed class GatewayLossSignal
{
    private CancellationTokenSource _current = new();

    /// <summary>Cancelled at the next gateway loss; attempts started later get a fresh token.</summary>
    public CancellationToken Token => Volatile.Read(ref _current).Token;

    public void OnGatewayCountChanged(int current, int previous)
    {
        if (current >= previous) return;
        var lost = Interlocked.Exchange(ref _current, new CancellationTokenSource());
        lost.Cancel();
        lost.Dispose();
    }
}
