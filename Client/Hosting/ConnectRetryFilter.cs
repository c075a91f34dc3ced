using OrleansFs.Client.Tls;

namespace OrleansFs.Client.Hosting;

/// <summary>
/// Keeps retrying the first connection until <see cref="OrleansFsClientOptions.ConnectTimeout"/>, so a client started
/// alongside the cluster waits for it; but not after a TLS refusal, which no retry can cure.
/// </summary>
internal sealed class ConnectRetryFilter(TimeSpan connectTimeout, GatewayTlsReport tlsReport) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);
    private DateTime? _firstFailure;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (tlsReport.IsConclusive) return false;
        _firstFailure ??= DateTime.UtcNow;
        if (DateTime.UtcNow + Pause - _firstFailure.Value >= connectTimeout) return false;
        await Task.Delay(Pause, cancellationToken);
        return true;
    }
}
