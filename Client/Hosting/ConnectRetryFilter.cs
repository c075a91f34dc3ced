using OrleansFs.Client.Tls;

namespace OrleansFs.Client.Hosting;

/// <summary>
/// Keeps retrying the first connection until <see cref="OrleansFsClientOptions.ConnectTimeout"/>, so a client started
/// alongside the cluster waits for it; but not after a TLS refusal, which no retry can cure.
/// </summary>
internal sealed class ConnectRetryFilter(TimeSpan connectTimeout, TimeSpan openConnectionTimeout, GatewayTlsReport tlsReport) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);
    private readonly DateTime _created = DateTime.UtcNow;
    private DateTime? _firstFailure;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (tlsReport.IsConclusive) return false;
        // Counted from the first attempt's start: a gateway that drops packets fails only when the attempt's own
        // timeout runs out, a refusal at once; either way the attempt began no earlier than this filter.
        var began = DateTime.UtcNow - openConnectionTimeout;
        _firstFailure ??= began > _created ? began : _created;
        if (DateTime.UtcNow + Pause - _firstFailure.Value >= connectTimeout) return false;
        await Task.Delay(Pause, cancellationToken);
        return true;
    }
}
