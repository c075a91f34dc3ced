using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Tls;

/// <summary>
/// A TLS cluster used as a user would: `ofs` with the CA and a client certificate reads and writes, survives the master's
/// silo being SIGKILLed, the web pages answer over HTTPS; a client without the CA or without a certificate is refused
/// with a line saying why, and plain-text connections to every port get no byte of a file or of the namespace.
/// </summary>
public sealed class TlsClusterTests(TlsClusterFixture fixture) : IClassFixture<TlsClusterFixture>
{
    private static readonly TimeSpan PlainProbeTimeout = TimeSpan.FromSeconds(15);

    private ClusterProcesses Cluster => fixture.Cluster;

    [Fact]
    public async Task Ofs_with_the_CA_and_a_client_certificate_writes_lists_and_reads_a_file()
    {
        string dir = $"/tls-{Guid.NewGuid():N}";
        string text = $"over TLS {Guid.NewGuid():N}\n";

        var (mkdir, copy) = (await TrustedOfsAsync("mkdir", dir), await CopyInAsync($"{dir}/a.txt", text));
        var ls = await TrustedOfsAsync("ls", dir);
        var cat = await TrustedOfsAsync("cat", $"{dir}/a.txt");

        OfsAssert.Succeeded(mkdir);
        OfsAssert.Succeeded(copy);
        Assert.Contains("a.txt", OfsAssert.Succeeded(ls).Stdout);
        Assert.Equal(text, OfsAssert.Succeeded(cat).Stdout);
    }

    [Fact]
    public async Task After_a_SIGKILL_of_the_masters_silo_the_cluster_serves_the_same_namespace_over_TLS()
    {
        string dir = $"/tls-failover-{Guid.NewGuid():N}";
        string text = $"survives {Guid.NewGuid():N}\n";
        OfsAssert.Succeeded(await TrustedOfsAsync("mkdir", dir));
        OfsAssert.Succeeded(await CopyInAsync($"{dir}/kept.txt", text));
        string before = LeaderAddress(OfsAssert.Succeeded(await TrustedOfsAsync("leader")));
        var victim = Cluster.SiloAt(before);
        try
        {
            victim.Kill();

            var ls = await TrustedOfsAsync("ls", dir);
            var cat = await TrustedOfsAsync("cat", $"{dir}/kept.txt");
            string after = LeaderAddress(OfsAssert.Succeeded(await TrustedOfsAsync("leader")));

            Assert.Contains("kept.txt", OfsAssert.Succeeded(ls).Stdout);
            Assert.Equal(text, OfsAssert.Succeeded(cat).Stdout);
            Assert.NotEqual(before, after);
        }
        finally
        {
            await Cluster.HealAsync();
        }
    }

    [Fact]
    public async Task The_web_pages_and_the_API_answer_over_HTTPS_to_a_client_that_trusts_the_CA()
    {
        string dir = $"/tls-web-{Guid.NewGuid():N}";
        OfsAssert.Succeeded(await TrustedOfsAsync("mkdir", dir));
        foreach (var silo in Cluster.Silos)
        {
            Assert.Equal("https", silo.WebAddress.Scheme);
            string overview = await silo.Http.GetStringAsync(silo.WebAddress);
            string browse = await silo.Http.GetStringAsync(new Uri(silo.WebAddress, "/api/v1/browse?path=/"));
            using var ready = await silo.Http.GetAsync(new Uri(silo.WebAddress, "/health/ready"));

            Assert.Contains("<html", overview, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(dir.TrimStart('/'), browse);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
    }

    [Fact]
    public async Task A_client_without_the_CA_is_refused_with_a_line_that_says_to_pass_it()
    {
        var silo = Cluster.Silos[0];

        var untrusting = await OfsAsync("--gateway", silo.Gateway, "--tls-cert", fixture.Certificates.ClientCertificatePath, "--tls-key", fixture.Certificates.ClientKeyPath, "ls", "/");
        var plain = await OfsAsync("--gateway", silo.Gateway, "ls", "/");

        string line = OfsAssert.FailedWithOneLine(untrusting, "ls", $"TLS handshake with gateway {silo.Gateway} failed");
        Assert.Contains("not trusted", line);
        Assert.Contains("--tls-ca", line);
        string plainLine = OfsAssert.FailedWithOneLine(plain, "ls", silo.Gateway);
        Assert.Contains("requires TLS", plainLine);
        Assert.Contains("--tls-ca", plainLine);
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused_when_the_cluster_requires_one()
    {
        var silo = Cluster.Silos[0];

        var result = await OfsAsync("--gateway", silo.Gateway, "--tls-ca", fixture.Certificates.CaPath, "ls", "/");

        string line = OfsAssert.FailedWithOneLine(result, "ls", $"TLS handshake with gateway {silo.Gateway} failed");
        Assert.Contains("requires a client certificate", line);
        Assert.Contains("--tls-cert", line);
    }

    [Fact]
    public async Task A_client_certificate_from_another_CA_is_refused()
    {
        var silo = Cluster.Silos[0];

        var result = await OfsAsync("--gateway", silo.Gateway, "--tls-ca", fixture.Certificates.CaPath,
            "--tls-cert", fixture.Stranger.ClientCertificatePath, "--tls-key", fixture.Stranger.ClientKeyPath, "ls", "/");

        string line = OfsAssert.FailedWithOneLine(result, "ls", $"TLS handshake with gateway {silo.Gateway} failed");
        Assert.Contains("refused this client's certificate", line);
    }

    [Fact]
    public async Task Plain_text_connections_to_the_gateway_silo_and_web_ports_get_no_byte_of_a_file_or_the_namespace()
    {
        string secretName = $"secret-{Guid.NewGuid():N}";
        string secretText = $"contents-{Guid.NewGuid():N}";
        OfsAssert.Succeeded(await TrustedOfsAsync("mkdir", "/" + secretName));
        OfsAssert.Succeeded(await CopyInAsync($"/{secretName}/f.txt", secretText));
        var silo = Cluster.Silos[0];
        var probes = new (string Port, int Number, byte[] Request)[]
        {
            ("gateway", silo.GatewayPort, OrleansLookingPreamble()),
            ("silo", silo.SiloPort, OrleansLookingPreamble()),
            ("web", silo.WebPort, HttpGet($"/api/v1/browse?path=/{secretName}")),
            ("web", silo.WebPort, HttpGet($"/file?path=/{secretName}/f.txt")),
            ("dashboard", silo.DashboardPort, HttpGet("/")),
        };

        foreach (var (port, number, request) in probes)
        {
            var (answer, closed) = await PlainExchangeAsync(number, request);
            string text = Encoding.Latin1.GetString(answer);

            Assert.True(closed, $"the {port} port kept a plain-text connection open for {PlainProbeTimeout}");
            Assert.DoesNotContain(secretName, text);
            Assert.DoesNotContain(secretText, text);
            Assert.False(text.StartsWith("HTTP/", StringComparison.Ordinal), $"the {port} port answered plain HTTP: {text}");
            // Whatever came back is TLS (an alert or a handshake record) or nothing.
            Assert.True(answer.Length == 0 || answer[0] is 0x15 or 0x16, $"the {port} port answered {answer.Length} bytes of plain data");
        }
    }

    [Fact]
    public async Task A_renewed_certificate_file_is_presented_on_the_gateway_silo_and_web_ports_without_a_restart()
    {
        var silo = Cluster.Silos[0];
        int pid = silo.ProcessId;

        var renewed = fixture.Certificates.RenewServer();

        foreach (var (port, number) in new[] { ("gateway", silo.GatewayPort), ("silo", silo.SiloPort), ("web", silo.WebPort) })
        {
            string presented = await WaitForPresentedAsync(number, renewed.Thumbprint);
            Assert.True(presented == renewed.Thumbprint, $"the {port} port still presents {presented}, not the renewed {renewed.Thumbprint}");
        }
        Assert.Equal(pid, silo.ProcessId);
        OfsAssert.Succeeded(await TrustedOfsAsync("ls", "/"));
    }

    private Task<OfsResult> TrustedOfsAsync(params string[] args) =>
        OfsAsync([.. Cluster.ClientArguments, .. fixture.TrustedClient, .. args]);

    private static Task<OfsResult> OfsAsync(params string[] args) => OfsRunner.RunRawAsync(args);

    private async Task<OfsResult> CopyInAsync(string path, string text)
    {
        string local = Path.Combine(Path.GetTempPath(), $"ofs-tls-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(local, text);
        try
        {
            return await TrustedOfsAsync("copyFromLocal", local, path);
        }
        finally
        {
            File.Delete(local);
        }
    }

    /// <summary>The thumbprint a new TLS connection to <paramref name="port"/> is shown, polled until it is <paramref name="expected"/> (or 20 s).</summary>
    private async Task<string> WaitForPresentedAsync(int port, string expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string presented;
        while ((presented = await PresentedThumbprintAsync(port)) != expected && DateTime.UtcNow < deadline) await Task.Delay(250);
        return presented;
    }

    /// <summary>Opens a TLS connection with the client certificate and reads the certificate the server presents.</summary>
    private async Task<string> PresentedThumbprintAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream());
        using var client = X509Certificate2.CreateFromPemFile(fixture.Certificates.ClientCertificatePath, fixture.Certificates.ClientKeyPath);
        string thumbprint = "";
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ClientCertificates = [client],
            // Only looking: this probe reads the certificate, the tests above check trust.
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                thumbprint = certificate is null ? "" : new X509Certificate2(certificate).Thumbprint;
                return true;
            },
        });
        return thumbprint;
    }

    /// <summary>`ofs leader` prints `127.0.0.1:PORT (epoch N)`.</summary>
    private static string LeaderAddress(OfsResult leader) => leader.Stdout.Split(' ', 2)[0].Trim();

    /// <summary>What an Orleans client sends first: a little-endian length, then the preamble's bytes.</summary>
    private static byte[] OrleansLookingPreamble()
    {
        byte[] body = Encoding.ASCII.GetBytes("ofs-plaintext-probe-preamble");
        return [.. BitConverter.GetBytes(body.Length), .. body];
    }

    private static byte[] HttpGet(string path) =>
        Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

    /// <summary>Sends <paramref name="request"/> in plain text and reads until the server closes, or the probe timeout.</summary>
    private static async Task<(byte[] Answer, bool Closed)> PlainExchangeAsync(int port, byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        var answer = new MemoryStream();
        using var timeout = new CancellationTokenSource(PlainProbeTimeout);
        try
        {
            await stream.WriteAsync(request, timeout.Token);
            var buffer = new byte[4096];
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0) answer.Write(buffer, 0, read);
            return (answer.ToArray(), true);
        }
        catch (IOException)
        {
            return (answer.ToArray(), true); // reset by the server
        }
        catch (OperationCanceledException)
        {
            return (answer.ToArray(), false);
        }
    }
}
