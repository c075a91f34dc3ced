using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansFs.Client.Hosting;
using Orleans.Runtime.Messaging;
using OrleansFs.Errors;

namespace OrleansFs.Client;

/// <summary>Connects to an OrleansFs cluster without a host of your own.</summary>
public static class OrleansFsClient
{
    /// <summary>
    /// Connects within <see cref="OrleansFsClientOptions.ConnectTimeout"/>; a cluster that cannot be
    /// reached gives <see cref="FsException"/> with code Unavailable.
    /// </summary>
    public static async Task<OrleansFsConnection> ConnectAsync(OrleansFsClientOptions options, CancellationToken cancellationToken = default)
    {
        var copy = options.Copy();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOrleansFsClient(o => Apply(copy, o));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw FsException.Unavailable($"cannot reach the cluster at {Describe(copy)}: {Reason(e, copy.ConnectTimeout)}");
        }
        return new OrleansFsConnection(host, host.Services.GetRequiredService<IFileSystem>());
    }

    /// <summary>Orleans' own words here are retry chatter ("will retry after 224ms"); say what happened instead.</summary>
    private static string Reason(Exception e, TimeSpan connectTimeout) => e is ConnectionFailedException
        ? $"no gateway answered within {connectTimeout.TotalSeconds:0.#} s"
        : e.GetBaseException().Message;

    private static string Describe(OrleansFsClientOptions options) =>
        !string.IsNullOrWhiteSpace(options.ZooKeeperConnectionString) ? $"zookeeper {options.ZooKeeperConnectionString}"
        : string.Join(",", options.Gateways.Count > 0 ? options.Gateways : [OrleansFsClientOptions.DefaultGateway]);

    private static void Apply(OrleansFsClientOptions from, OrleansFsClientOptions to)
    {
        to.Gateways = from.Gateways;
        to.ZooKeeperConnectionString = from.ZooKeeperConnectionString;
        to.ZooKeeperAuth = from.ZooKeeperAuth;
        to.ClusterId = from.ClusterId;
        to.ServiceId = from.ServiceId;
        to.CallTimeout = from.CallTimeout;
        to.AttemptTimeout = from.AttemptTimeout;
        to.GatewayListRefreshPeriod = from.GatewayListRefreshPeriod;
        to.ResponseTimeout = from.ResponseTimeout;
        to.ConnectTimeout = from.ConnectTimeout;
        to.InitialRetryDelay = from.InitialRetryDelay;
        to.MaxRetryDelay = from.MaxRetryDelay;
    }
}
