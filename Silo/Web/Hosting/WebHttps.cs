using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using OrleansFs.Security;

namespace OrleansFs.Silo.Web.Hosting;

/// <summary>
/// With `Security:Enabled` the web interface and the dashboard serve HTTPS only, with the silo's certificate, asked of
/// <see cref="CertificateSource"/> on every handshake so a renewed file is used without a restart. Browsers present
/// no certificate: the dashboard keeps its token.
/// </summary>
internal static class WebHttps
{
    public static void Apply(ListenOptions listen)
    {
        var security = listen.ApplicationServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
        if (!security.Enabled) return;
        var source = listen.ApplicationServices.GetRequiredService<CertificateSource>();
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificateSelector = (_, _) => source.Current,
        });
    }
}
