namespace OrleansFs.Client.Retry;

/// <summary>
/// Fires when the client loses a gateway connection or the membership table declares a silo dead. A call in flight
/// to a silo that died is not failed by Orleans until its response timeout; either event is a sign of that death, so
/// every attempt in flight is abandoned then and retried at once (with its request id) instead of waiting out the
/// timeout. A spurious abandon costs one repeated attempt, which the master answers from its retry cache.
/// </summary>
public sealed class GatewayLossSignal
{
    public const string GatewayLost = "a gateway connection was lost while the call was in flight";

    private CancellationTokenSource _current = new();
    private string _cause = GatewayLost;

    /// <summary>Cancelled at the next loss; attempts started later get a fresh token.</summary>
    public CancellationToken Token => Volatile.Read(ref _current).Token;

    /// <summary>Why the last abandon happened, for the attempt's error.</summary>
    public string Cause => Volatile.Read(ref _cause);

    public void OnGatewayCountChanged(int current, int previous)
    {
        if (current >= previous) return;
        Abandon(GatewayLost);
    }

    /// <summary>The membership table declared <paramref name="silo"/> dead: what was in flight to it will never be answered.</summary>
    public void OnSiloDeclaredDead(string silo) => Abandon($"silo {silo} was declared dead while the call was in flight");

    private void Abandon(string cause)
    {
        Volatile.Write(ref _cause, cause);
        var lost = Interlocked.Exchange(ref _current, new CancellationTokenSource());
        lost.Cancel();
        lost.Dispose();
    }
}
