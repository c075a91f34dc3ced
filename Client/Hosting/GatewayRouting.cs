using System.Net;
using System.Reflection;
using Orleans.Configuration;
using Orleans.Runtime;

namespace OrleansFs.Client.Hosting;

/// <summary>
/// Takes a dead silo's gateway out of the client's routing at once. Orleans drops a gateway only when a connection to
/// it fails or at the next gateway-list refresh; a vanished host's connection does not fail, so an attempt retried
/// on the news of its death could be routed straight back to it. Orleans' <c>GatewayManager.MarkAsDead</c> (what its
/// own send path calls after a failed connect) is internal, so it is reached by reflection; without it (a future
/// Orleans) the refresh still drops the gateway, only later.
/// </summary>
internal sealed class GatewayRouting
{
    private const string ManagerType = "Orleans.Messaging.GatewayManager";
    private readonly object? _manager;
    private readonly MethodInfo? _markAsDead;

    private GatewayRouting(object? manager, MethodInfo? markAsDead)
    {
        _manager = manager;
        _markAsDead = markAsDead;
    }

    /// <summary>True when Orleans' gateway manager was found, so <see cref="MarkDead"/> takes effect.</summary>
    public bool CanMarkDead => _manager is not null && _markAsDead is not null;

    public static GatewayRouting From(IServiceProvider services)
    {
        var type = typeof(GatewayOptions).Assembly.GetType(ManagerType);
        var method = type?.GetMethod("MarkAsDead", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, [typeof(SiloAddress)]);
        object? manager = type is null ? null : services.GetService(type);
        return new GatewayRouting(manager, method);
    }

    /// <summary>
    /// Routes no new message to <paramref name="gateway"/>. Orleans keys a gateway by the silo's generation until its
    /// first list refresh and by generation 0 after it, so both are marked.
    /// </summary>
    public void MarkDead(IPEndPoint? gateway, int generation)
    {
        if (gateway is null || !CanMarkDead) return;
        _markAsDead!.Invoke(_manager, [SiloAddress.New(gateway, generation)]);
        _markAsDead.Invoke(_manager, [SiloAddress.New(gateway, 0)]);
    }
}
