using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Connections;

namespace OrleansFs.Grains.Failover.Takeover;

/// <summary>
/// Connection middleware on this silo's silo-to-silo connections, both directions: notes in
/// <see cref="PeerConnectionLog"/> when a connection to a peer silo closes, the earliest sign that the peer's
/// process died, and when bytes last arrived from the peer, where a vanished host's failure began. Both directions, because Orleans sends over whichever connection exists between two silos, so
/// this silo may hold only the one the peer opened.
/// </summary>
internal static class PeerConnectionTracking
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> RemoteSiloProperties = new();

    public static void Use(IConnectionBuilder connections, PeerConnectionLog log) =>
        connections.Use(next => async context =>
        {
            var activity = log.Opened(() => PeerEndpoint(context));
            var transport = context.Transport;
            context.Transport = new PeerDuplexPipe(new HeardPipeReader(transport.Input, activity), transport.Output);
            context.ConnectionClosed.Register(() => log.Closed(activity));
            await next(context);
        });

    /// <summary>
    /// The peer's silo endpoint: from Orleans' connection object (its RemoteSiloAddress, known from the
    /// handshake, so also for inbound connections whose remote port is ephemeral). Orleans' connection type is
    /// internal, hence reflection, only when a connection closes. Outbound connections fall back to the remote endpoint.
    /// </summary>
    private static string? PeerEndpoint(ConnectionContext context)
    {
        foreach (var (_, feature) in context.Features)
        {
            if (feature is null) continue;
            var property = RemoteSiloProperties.GetOrAdd(feature.GetType(), t => t.GetProperty("RemoteSiloAddress"));
            if (property?.GetValue(feature) is SiloAddress silo) return Format(silo.Endpoint);
        }
        return null;
    }

    private static string Format(IPEndPoint peer) =>
        $"{(peer.Address.IsIPv4MappedToIPv6 ? peer.Address.MapToIPv4() : peer.Address)}:{peer.Port}";
}
