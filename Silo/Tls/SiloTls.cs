using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;
using OrleansFs.Security;

namespace OrleansFs.Silo.Tls;

/// <summary>
/// `Security:Enabled`: mutual TLS on the silo port (both ends present a certificate from the cluster's CA) and TLS on
/// the gateway port, where a client certificate is required with `Security:RequireClientCertificate` and otherwise
/// optional (still checked when one is given). The certificate is asked of <see cref="CertificateSource"/> on every
/// handshake, so a renewed file serves new connections without a restart.
/// </summary>
internal static partial class SiloTls
{
    public static void Configure(ISiloBuilder silo) =>
        silo.Services.AddOptions<SiloConnectionOptions>().Configure<IServiceProvider>((connections, services) =>
        {
            var security = services.GetRequiredService<IOptions<SecurityOptions>>().Value;
            if (!security.Enabled) return;
            var source = services.GetRequiredService<CertificateSource>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SiloTls));
            var gatewayClients = security.RequireClientCertificate ? RemoteCertificateMode.RequireCertificate : RemoteCertificateMode.AllowCertificate;
            connections.ConfigureSiloInboundConnection(b => b.UseServerTls(Inbound(source, RemoteCertificateMode.RequireCertificate, "a silo on the silo port")));
            connections.ConfigureGatewayInboundConnection(b => b.UseServerTls(Inbound(source, gatewayClients, "a client on the gateway port")));
            connections.ConfigureSiloOutboundConnection(b => b.UseClientTls(Outbound(source)));
            LogEnabled(logger, security.RequireClientCertificate ? "required" : "optional");
        });

    private static TlsOptions Inbound(CertificateSource source, RemoteCertificateMode clients, string peer) => new()
    {
        LocalServerCertificateSelector = (_, _) => source.Current,
        RemoteCertificateMode = clients,
        RemoteCertificateValidation = (certificate, chain, errors) => source.ValidateRemote(certificate, chain, errors, hostName: null, peer),
    };

    private static TlsOptions Outbound(CertificateSource source) => new()
    {
        LocalClientCertificateSelector = (_, _, _, _, _) => source.Current,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        RemoteCertificateValidation = (certificate, chain, errors) => source.ValidateRemote(certificate, chain, errors, hostName: null, "a silo dialled"),
    };

    [LoggerMessage(EventId = 2330, Level = LogLevel.Information,
        Message = "TLS on the silo and gateway ports: silos authenticate each other, client certificates {ClientCertificates}")]
    private static partial void LogEnabled(ILogger logger, string clientCertificates);
}
