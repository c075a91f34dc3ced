using OrleansFs.TestSupport;
using OrleansFs.TestSupport.Tls;

namespace OrleansFs.Tests.Tls;

/// <summary>The other mismatch: `ofs` given a CA for a cluster that does not use TLS is told so, quickly, in one line.</summary>
public sealed class TlsClientOnPlainClusterTests(SharedSiloFixture fixture) : IClassFixture<SharedSiloFixture>
{
    [Fact]
    public async Task A_TLS_client_on_a_plain_gateway_is_told_the_cluster_may_not_use_TLS()
    {
        using var certificates = TestCertificates.Create();

        var result = await OfsRunner.RunRawAsync(["--gateway", fixture.Silo.Gateway, "--tls-ca", certificates.CaPath, "ls", "/"]);
        var plain = await fixture.Ofs.RunAsync("ls", "/");

        string line = OfsAssert.FailedWithOneLine(result, "ls", $"TLS handshake with gateway {fixture.Silo.Gateway} failed");
        Assert.Contains("does this cluster use TLS", line);
        Assert.Contains("drop --tls-ca", line);
        Assert.Equal(0, plain.ExitCode);
    }
}
