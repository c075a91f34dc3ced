using System.Net.Security;

namespace OrleansFs.Grains.Blocks.DataEndpoint;

/// <summary>
/// TLS for the data endpoint (registered when <c>Security:Enabled</c>): the server options of each new connection,
/// asked for per connection so a certificate renewed on disk is used without a restart.
/// </summary>
public sealed class DataEndpointTls(Func<SslServerAuthenticationOptions> serverOptions)
{
    public SslServerAuthenticationOptions ServerOptions() => serverOptions();
}
