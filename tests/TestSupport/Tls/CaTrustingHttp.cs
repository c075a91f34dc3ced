using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace OrleansFs.TestSupport.Tls;

/// <summary>HTTP clients that trust exactly the CAs of one PEM file, as a browser given the cluster's CA would.</summary>
public static class CaTrustingHttp
{
    public static HttpClient Create(string caPath, TimeSpan timeout) =>
        new(Handler(caPath)) { Timeout = timeout };

    public static SocketsHttpHandler Handler(string caPath)
    {
        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(caPath);
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, ca),
            },
        };
    }

    /// <summary>The name must match (the test certificates name 127.0.0.1 and localhost) and the chain end in the CA.</summary>
    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection ca)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }
}
