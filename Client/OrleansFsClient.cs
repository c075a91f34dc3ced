using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansFs.Client.Hosting;
using OrleansFs.Client.Tls;
using Orleans.Runtime.Messaging;
using OrleansFs.Errors;

namespace OrleansFs.Client;

/// <summary>Connects to an OrleansFs cluster without a host of your own.</summary>
public static class OrleansFsClient
{
    /// <summary>
    /// Connects within <see cref="OrleansFsClientOptions.ConnectTimeout"/>; a cluster that cannot be
    /// reached gives <see cref="FsException"/> with code Unavailable. Invalid options give an
    /// <see cref="ArgumentException"/> naming the option (<see cref="OrleansFsClientOptionsValidator"/>) before any connection is tried.
    /// </summary>
    public static async Task<OrleansFsConnection> ConnectAsync(OrleansFsClientOptions options, CancellationToken cancellationToken = default)
    {
        var copy = options.Copy();
        OrleansFsClientOptionsValidator.ThrowIfInvalid(copy);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOrleansFsClient(copy.CopyTo);
        var host = builder.Build();
        // Orleans' own timers give up on silent gateways within about the connect timeout (ClientClustering); this
        // bounds whatever else could wait on a vanished host (ZooKeeper, a manifest fetch), with room for a slow start.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(copy.ConnectTimeout * BackstopFactor);
        try
        {
            await host.StartAsync(deadline.Token).WaitAsync(deadline.Token);
        }
        catch (ArgumentException)
        {
            // A gateway that does not resolve is a bad value, as it was before anything connected.
            host.Dispose();
            throw;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            string? refusal = host.Services.GetRequiredService<GatewayTlsReport>().Failure;
            Abandon(host);
            if (refusal is not null) throw new FsException(FsErrorCode.PermissionDenied, null, refusal);
            throw FsException.Unavailable(
                $"cannot reach the cluster at {Describe(copy)}: no gateway answered within {(copy.ConnectTimeout * BackstopFactor).TotalSeconds:0.#} s");
        }
        catch (OperationCanceledException)
        {
            Abandon(host);
            throw;
        }
        catch (Exception e)
        {
            string? refusal = host.Services.GetRequiredService<GatewayTlsReport>().Failure;
            host.Dispose();
            // A TLS refusal is not a cluster that cannot be reached: retrying will not help, a certificate will.
            if (refusal is not null) throw new FsException(FsErrorCode.PermissionDenied, null, refusal);
            throw FsException.Unavailable($"cannot reach the cluster at {Describe(copy)}: {Reason(e, copy.ConnectTimeout)}");
        }
        return new OrleansFsConnection(host, host.Services.GetRequiredService<IFileSystem>());
    }

    private const int BackstopFactor = 4;

    /// <summary>A start that was given up on may still be waiting on a silent host: dispose it without waiting for that.</summary>
    private static void Abandon(IHost host) => _ = Task.Run(() =>
    {
        try
        {
            host.Dispose();
        }
        catch (Exception)
        {
            // Already reported as the connect's failure.
        }
    });

    /// <summary>Orleans' own words here are retry chatter ("will retry after 224ms"); say what happened instead.</summary>
    private static string Reason(Exception e, TimeSpan connectTimeout) => e is ConnectionFailedException
        ? $"no gateway answered within {connectTimeout.TotalSeconds:0.#} s"
        : e.GetBaseException().Message;

    private static string Describe(OrleansFsClientOptions options) =>
        !string.IsNullOrWhiteSpace(options.ZooKeeperConnectionString) ? $"zookeeper {options.ZooKeeperConnectionString}"
        // Never the connection string itself: it may hold a password.
        : !string.IsNullOrWhiteSpace(options.PostgreSqlConnectionString)
            ? OrleansFs.Grains.Journal.PostgreSql.PostgreSqlJournalReader.LocationOf(options.PostgreSqlConnectionString)
        : string.Join(",", options.Gateways.Count > 0 ? options.Gateways : [OrleansFsClientOptions.DefaultGateway]);
}
