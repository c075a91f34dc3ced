using System.Net.Security;

namespace OrleansFs.Client.Streams.DataEndpoint;

/// <summary>
/// How this client speaks TLS to data endpoints that ask for it: the CA it trusts and the certificate it presents
/// (from <c>OrleansFsClientOptions.Tls</c>). Without one, a TLS endpoint is checked against the system's trust
/// store and no client certificate is sent.
/// </summary>
public sealed class DataClientTls(Func<string, SslClientAuthenticationOptions> clientOptions, IDisposable? owned = null) : IDisposable
{
    /// <summary>System trust store, no client certificate.</summary>
    public static DataClientTls Default { get; } = new(host => new SslClientAuthenticationOptions { TargetHost = host });

    /// <summary>Options for one new connection to <paramref name="targetHost"/> (asked per connection, so renewed files are used).</summary>
    public SslClientAuthenticationOptions ClientOptions(string targetHost) => clientOptions(targetHost);

    /// <summary>Releases what the options are made from (the certificate source watching its files).</summary>
    public void Dispose() => owned?.Dispose();
}
