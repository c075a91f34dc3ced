using OrleansFs.Client;
using OrleansFs.Client.Streams;
using OrleansFs.Files;
using OrleansFs.Security;
using OrleansFs.TestSupport;
using OrleansFs.TestSupport.Tls;

namespace OrleansFs.Tests.Data;

/// <summary>
/// A real silo process with <c>Security:Enabled</c> and client certificates required: a client holding the CA and
/// its certificate writes and reads files remotely over the TLS data endpoint, and the silo narrowed its memory
/// tier, created wider by someone else beforehand, to 0700 so only its own user can short-circuit.
/// </summary>
public sealed class TlsDataSiloTests : IAsyncLifetime
{
    private readonly string _memory = Path.Combine("/dev/shm", "ofs-test-" + Guid.NewGuid().ToString("N"));
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private SiloProcess _silo = null!;
    private OrleansFsConnection _client = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_memory);
        File.SetUnixFileMode(_memory, (UnixFileMode)Convert.ToInt32("755", 8));
        _silo = await SiloProcess.StartAsync([
            $"--Worker:MemoryDirectory={_memory}", $"--Worker:MemoryBytes={1L << 30}",
            "--Security:Enabled=true", $"--Security:CertificatePath={_certificates.ServerCertificatePath}",
            $"--Security:KeyPath={_certificates.ServerKeyPath}", $"--Security:CaPath={_certificates.CaPath}",
            "--Security:RequireClientCertificate=true"]);
        _client = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
        {
            Gateways = [_silo.Gateway],
            Tls = new ClientTlsOptions
            {
                CaPath = _certificates.CaPath,
                CertificatePath = _certificates.ClientCertificatePath,
                KeyPath = _certificates.ClientKeyPath,
            },
        });
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _silo.DisposeAsync();
        _certificates.Dispose();
        if (Directory.Exists(_memory)) Directory.Delete(_memory, recursive: true);
    }

    [Fact]
    public async Task A_client_with_the_CA_and_its_certificate_writes_and_reads_remotely_over_the_TLS_data_endpoint()
    {
        var bytes = new byte[3 * (1 << 20) + 17];
        new Random(18).NextBytes(bytes);

        await using (var output = await _client.Data.CreateFileAsync("/tls/remote", new CreateFileOptions { BlockSizeBytes = 2 << 20 }, shortCircuit: false))
            await output.WriteAsync(bytes);
        await using var input = await _client.Data.OpenFileAsync("/tls/remote", new OpenFileOptions { ShortCircuit = false });
        var read = new MemoryStream();
        await input.CopyToAsync(read);

        Assert.Equal(bytes, read.ToArray());
        var locations = await _client.Data.GetBlockLocationsAsync("/tls/remote");
        Assert.Equal(2, locations.Count);
        Assert.All(locations, l => Assert.True(l.Location.DataEndpointTls, $"block {l.Block.BlockId} names a plain endpoint"));
    }

    [Fact]
    public void The_memory_tier_created_wider_beforehand_is_narrowed_to_0700_for_the_silos_user_alone()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_memory));
        Assert.Contains("narrowed it to 0700", File.ReadAllText(_silo.LogPath));
    }
}
