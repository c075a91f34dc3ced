using OrleansFs.TestSupport;
using OrleansFs.TestSupport.Tls;
using OrleansFs.ZooKeeper;

namespace OrleansFs.Tests;

/// <summary>A 3-member ensemble serving TLS on every member: the session moves over TLS when its server dies.</summary>
public sealed class TlsEnsembleTests : IAsyncLifetime
{
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private ZooKeeperEnsemble _ensemble = null!;

    public async Task InitializeAsync() => _ensemble = await ZooKeeperEnsemble.StartAsync(3, ZooKeeperServerTls.For(_certificates));

    public async Task DisposeAsync()
    {
        if (_ensemble is not null) await _ensemble.DisposeAsync();
        _certificates.Dispose();
    }

    [Fact]
    public async Task The_session_resumes_over_TLS_on_another_member_after_its_server_is_killed()
    {
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = _ensemble.SecureConnectionString,
            SessionTimeout = TimeSpan.FromSeconds(10),
            Tls = server => _certificates.ClientTls(server.Host),
        });
        var path = await client.CreateAsync($"/tls-resume-{Guid.NewGuid():N}", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);
        long session = client.SessionId;
        var first = client.ConnectedServer!.Value;

        _ensemble.Members.Single(m => m.SecurePort == first.Port).Kill();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(client.State == ZooKeeperSessionState.Connected && client.ConnectedServer?.Port != first.Port) && DateTime.UtcNow < deadline)
            await Task.Delay(50);

        Assert.NotEqual(first.Port, client.ConnectedServer?.Port);
        Assert.Contains(client.ConnectedServer!.Value.Port, _ensemble.Members.Select(m => m.SecurePort!.Value));
        Assert.Equal(session, client.SessionId);
        Assert.Equal(session, (await client.ExistsAsync(path))!.Value.EphemeralOwner);
    }
}
