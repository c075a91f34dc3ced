using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Connections.Security;
using OrleansFs.Security;

namespace OrleansFs.Client.Tls;

/// <summary>
/// TLS to the gateways from <see cref="OrleansFsClientOptions.Tls"/>: the gateway's certificate must chain to the
/// given CA (or the system's roots without one), and the client presents its certificate when it has one. Every
/// refusal is recorded in <see cref="GatewayTlsReport"/> with the reason; a plain client is watched too, so one that
/// meets a TLS gateway says so.
/// </summary>
internal static class ClientTls
{
    /// <summary>The gateway being handshaken with, for the words of a refusal (the validation callback is not told).</summary>
    private static readonly AsyncLocal<EndPoint?> Gateway = new();

    public static void Configure(IClientBuilder client, ClientTlsOptions tls, GatewayTlsReport report)
    {
        if (!tls.IsEnabled)
        {
            client.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(c =>
                GatewayTransportWatch.Use(c, report, GatewayTransportWatch.Position.Plain, hasCertificate: false)));
            return;
        }
        // The client's one CertificateSource (registered with the client), shared with its ZooKeeper and data links.
        client.Services.AddOptions<ClientConnectionOptions>().Configure<CertificateSource>((o, source) => o.ConfigureConnection(connection =>
        {
            GatewayTransportWatch.Use(connection, report, GatewayTransportWatch.Position.UnderTls, source.HasCertificate);
            connection.UseClientTls(Options(source, source.HasCertificate, report));
            GatewayTransportWatch.Use(connection, report, GatewayTransportWatch.Position.InsideTls, source.HasCertificate);
        }));
    }

    private static TlsOptions Options(CertificateSource source, bool hasCertificate, GatewayTlsReport report) => new()
    {
        LocalClientCertificateSelector = hasCertificate ? (_, _, _, _, _) => source.CurrentOrNull : null,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        RemoteCertificateValidation = (certificate, chain, errors) => Trusted(source, certificate, chain, errors, report),
        OnAuthenticateAsClient = (context, ssl) => Begin(context, ssl),
    };

    private static void Begin(ConnectionContext context, TlsClientAuthenticationOptions ssl) => Gateway.Value = context.RemoteEndPoint;

    /// <summary>
    /// The gateway's certificate must chain to the CA; no host-name check, as between silos: gateways are found at the
    /// addresses the membership table advertises, and the cluster's CA signing a certificate is what makes it a member.
    /// </summary>
    private static bool Trusted(CertificateSource source, X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors, GatewayTlsReport report)
    {
        if (source.Problem(certificate, chain, errors, hostName: null) is not { } problem) return true;
        report.Untrusted(Gateway.Value, problem);
        return false;
    }
}
