using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using OrleansFs.Security;
using OrleansFs.TestSupport.Tls;

namespace OrleansFs.Unit.Tests.Security;

/// <summary>Real TLS handshakes on loopback between a server and a client built from <see cref="CertificateSource"/>.</summary>
public sealed class CertificateSourceTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    public void Dispose() => _certificates.Dispose();

    private CertificateSource Server(bool requireClientCertificate = false) => new(new SecurityOptions
    {
        Enabled = true,
        CertificatePath = _certificates.ServerCertificatePath,
        KeyPath = _certificates.ServerKeyPath,
        CaPath = _certificates.CaPath,
        RequireClientCertificate = requireClientCertificate,
    });

    private CertificateSource Client(string? caPath = null, bool withCertificate = false) => CertificateSource.ForClient(new ClientTlsOptions
    {
        CaPath = caPath ?? _certificates.CaPath,
        CertificatePath = withCertificate ? _certificates.ClientCertificatePath : null,
        KeyPath = withCertificate ? _certificates.ClientKeyPath : null,
    });

    [Fact]
    public async Task A_client_that_trusts_the_CA_completes_the_handshake_and_sees_the_server_certificate()
    {
        using var server = Server();
        using var client = Client();

        var seen = await HandshakeAsync(server, client, "localhost");

        Assert.Equal(server.Current.Thumbprint, seen.Thumbprint);
    }

    [Fact]
    public async Task A_certificate_file_replaced_on_disk_is_presented_by_the_next_connection()
    {
        using var server = Server();
        using var client = Client();
        var before = await HandshakeAsync(server, client, "localhost");

        var renewed = _certificates.RenewServer();
        var after = await HandshakeAsync(server, client, "localhost");

        Assert.NotEqual(before.Thumbprint, after.Thumbprint);
        Assert.Equal(renewed.Thumbprint, after.Thumbprint);
        Assert.Equal("CN=ofs-server-renewed, O=OrleansFs", after.Subject);
    }

    [Fact]
    public async Task A_replacement_that_does_not_load_leaves_the_previous_certificate_in_use()
    {
        using var server = Server();
        using var client = Client();
        var before = await HandshakeAsync(server, client, "localhost");

        File.WriteAllText(_certificates.ServerCertificatePath, "-----BEGIN CERTIFICATE-----\nhalf writ");
        var after = await HandshakeAsync(server, client, "localhost");

        Assert.Equal(before.Thumbprint, after.Thumbprint);
    }

    [Fact]
    public async Task A_client_without_the_CA_refuses_the_server_and_says_why()
    {
        using var stranger = TestCertificates.CreateStranger();
        using var server = Server();
        using var client = Client(caPath: stranger.CaPath);

        var refused = await Assert.ThrowsAsync<AuthenticationException>(() => HandshakeAsync(server, client, "localhost"));
        Assert.StartsWith($"the server localhost is not trusted: its certificate 'CN=ofs-server, O=OrleansFs' is not signed by a CA in {stranger.CaPath} (", refused.Message);
    }

    [Fact]
    public async Task Only_the_CA_bundle_is_trusted_not_a_certificate_of_another_CA()
    {
        using var stranger = TestCertificates.CreateStranger();
        using var server = new CertificateSource(new SecurityOptions
        {
            Enabled = true,
            CertificatePath = stranger.ServerCertificatePath,
            KeyPath = stranger.ServerKeyPath,
            CaPath = stranger.CaPath,
        });
        using var client = Client();

        await Assert.ThrowsAsync<AuthenticationException>(() => HandshakeAsync(server, client, "localhost"));
    }

    [Fact]
    public async Task The_server_name_is_checked_when_the_client_asks_for_it()
    {
        using var server = Server();
        using var client = Client();

        var refused = await Assert.ThrowsAsync<AuthenticationException>(() => HandshakeAsync(server, client, "zk1.example"));
        Assert.Equal("the server zk1.example is not trusted: its certificate 'CN=ofs-server, O=OrleansFs' is not issued for 'zk1.example' (no matching DNS or IP subject alternative name)",
            refused.Message);
        var seen = await HandshakeAsync(server, client, "zk1.example", checkHostName: false);
        Assert.Equal(server.Current.Thumbprint, seen.Thumbprint);
        await HandshakeAsync(server, client, "127.0.0.1");
    }

    [Fact]
    public async Task A_server_that_requires_client_certificates_refuses_a_client_without_one()
    {
        using var server = Server(requireClientCertificate: true);
        using var anonymous = Client();
        using var member = Client(withCertificate: true);

        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(server, anonymous, "localhost"));
        var seen = await HandshakeAsync(server, member, "localhost");
        Assert.Equal(server.Current.Thumbprint, seen.Thumbprint);
    }

    [Fact]
    public void A_node_without_a_certificate_says_which_settings_give_one()
    {
        using var client = Client();

        Assert.False(client.HasCertificate);
        Assert.Null(client.CurrentOrNull);
        var error = Assert.Throws<InvalidOperationException>(() => client.Current);
        Assert.Contains("Security:CertificatePath", error.Message);
    }

    /// <summary>One handshake over loopback; the server certificate the client saw, or the client's failure.</summary>
    private static async Task<X509Certificate2> HandshakeAsync(CertificateSource server, CertificateSource client, string targetHost, bool checkHostName = true)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var accept = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync(timeout.Token);
            await using var tls = new SslStream(socket.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(server.ServerOptions(server.RequireClientCertificate), timeout.Token);
                await tls.WriteAsync(new byte[] { 42 }, timeout.Token);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
            }
        });
        using var connection = new TcpClient();
        await connection.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var stream = new SslStream(connection.GetStream());
        try
        {
            await stream.AuthenticateAsClientAsync(client.ClientOptions(targetHost, checkHostName), timeout.Token);
            // TLS 1.3 tells the client about a refused client certificate only when it reads.
            var one = new byte[1];
            if (await stream.ReadAsync(one, timeout.Token) != 1) throw new IOException("the server closed the connection");
            return X509CertificateLoader.LoadCertificate(stream.RemoteCertificate!.GetRawCertData());
        }
        finally
        {
            connection.Close();
            await accept;
        }
    }
}
