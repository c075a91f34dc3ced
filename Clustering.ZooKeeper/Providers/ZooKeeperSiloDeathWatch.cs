using System.Net;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>
/// Tells a client the moment the membership table declares a silo Dead, through a ZooKeeper watch on the table node
/// (every membership write moves its version) rather than the gateway list's periodic re-read. Orleans does not fail
/// a client's calls in flight to a silo that died; a client abandons them on this news and retries elsewhere.
/// </summary>
public sealed partial class ZooKeeperSiloDeathWatch
{
    private readonly ZooKeeperMembershipTable _table;
    private readonly ILogger _logger;

    internal ZooKeeperSiloDeathWatch(ZooKeeperMembershipTable table, ILogger logger)
    {
        _table = table;
        _logger = logger;
    }

    /// <summary>
    /// Runs until <paramref name="ct"/> is cancelled, calling <paramref name="onDead"/> once per silo that goes from any
    /// other status to Dead after the first read. The table is also re-read every <paramref name="pollPeriod"/>, for the
    /// changes a watch misses (an expired session loses its watches).
    /// </summary>
    public async Task RunAsync(Action<SiloDeath> onDead, TimeSpan pollPeriod, CancellationToken ct)
    {
        Dictionary<SiloAddress, SiloStatus>? known = null;
        while (!ct.IsCancellationRequested)
        {
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                // Armed before the read, so a write between the read and the wait is not missed.
                await _table.WatchTableAsync(() => changed.TrySetResult(), ct);
                var members = (await _table.ReadAllAsync(ct)).Members.Select(m => m.Item1).ToList();
                if (known is not null)
                    foreach (var death in NewlyDead(known, members))
                    {
                        LogDeclaredDead(_logger, death.Silo);
                        onDead(death);
                    }
                known = members.ToDictionary(m => m.SiloAddress, m => m.Status);
                await changed.Task.WaitAsync(pollPeriod, ct);
            }
            catch (TimeoutException)
            {
                // No write within the period: read again anyway.
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogWatchFailed(_logger, e, e.Message);
                try
                {
                    await Task.Delay(pollPeriod, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Silos that were known with another status and are Dead now; a row first seen already Dead served no one.</summary>
    public static IEnumerable<SiloDeath> NewlyDead(IReadOnlyDictionary<SiloAddress, SiloStatus> before, IEnumerable<MembershipEntry> now) =>
        now.Where(e => e.Status == SiloStatus.Dead && before.TryGetValue(e.SiloAddress, out var was) && was != SiloStatus.Dead)
            .Select(e => new SiloDeath(e.SiloAddress, e.ProxyPort == 0 ? null : new IPEndPoint(e.SiloAddress.Endpoint.Address, e.ProxyPort)));

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "The membership table declared silo {Silo} dead: calls in flight are retried elsewhere")]
    private static partial void LogDeclaredDead(ILogger logger, SiloAddress silo);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Watching the membership table for dead silos failed, retrying: {Reason}")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string reason);
}
