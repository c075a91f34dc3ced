using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using OrleansFs.TestSupport.Tls;
using OrleansFs.Tests.Fixtures;
using OrleansFs.ZooKeeper;

namespace OrleansFs.Tests;

/// <summary>The wire client over TLS against ZooKeeper 3.8's secure client port (Netty, PEM stores, client certificates needed).</summary>
[Collection(TlsCollection.Name)]
public sealed class TlsTests(TlsZooKeeperFixture zk)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Create_read_update_and_delete_work_over_TLS()
    {
        await using var client = await zk.ConnectAsync();
        string path = $"/tls-crud-{Guid.NewGuid():N}";

        await client.CreateAsync(path, "first"u8.ToArray());
        Assert.Equal("first", Encoding.UTF8.GetString((await client.GetDataAsync(path)).Data));
        var stat = await client.SetDataAsync(path, "second"u8.ToArray());
        Assert.Equal(1, stat.Version);
        await client.CreateAsync(path + "/child", ReadOnlyMemory<byte>.Empty);
        Assert.Equal(["child"], (await client.GetChildrenAsync(path)).Children);
        await client.DeleteAsync(path + "/child");
        await client.DeleteAsync(path);
        Assert.Null(await client.ExistsAsync(path));
        Assert.Equal(zk.Member.SecurePort, client.ConnectedServer?.Port);
    }

    [Fact]
    public async Task A_large_value_crosses_many_TLS_records_intact()
    {
        await using var client = await zk.ConnectAsync();
        string path = $"/tls-large-{Guid.NewGuid():N}";
        var data = new byte[900_000];
        new Random(7).NextBytes(data);

        await client.CreateAsync(path, data);

        Assert.Equal(data, (await client.GetDataAsync(path)).Data);
        await client.DeleteAsync(path);
    }

    [Fact]
    public async Task A_watch_set_over_TLS_fires_on_another_sessions_change()
    {
        await using var watcher = await zk.ConnectAsync();
        await using var writer = await zk.ConnectAsync();
        string path = $"/tls-watch-{Guid.NewGuid():N}";
        var fired = new TaskCompletionSource<WatchedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);

        Assert.Null(await watcher.ExistsAsync(path, e => fired.TrySetResult(e)));
        await writer.CreateAsync(path, ReadOnlyMemory<byte>.Empty);

        var change = await fired.Task.WaitAsync(Wait);
        Assert.Equal(new WatchedEvent(WatchEventType.NodeCreated, path), change);
        await writer.DeleteAsync(path);
    }

    [Fact]
    public async Task A_dropped_TLS_connection_resumes_the_same_session_with_its_ephemerals_and_watches()
    {
        await using var client = await zk.ConnectAsync();
        await using var other = await zk.ConnectAsync();
        string path = $"/tls-resume-{Guid.NewGuid():N}";
        await client.CreateAsync(path, ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);
        var fired = new TaskCompletionSource<WatchedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.GetDataAsync(path, e => fired.TrySetResult(e));
        long session = client.SessionId;
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += s => { if (s == ZooKeeperSessionState.Connected) reconnected.TrySetResult(); };

        client.DropConnection();
        await reconnected.Task.WaitAsync(Wait);
        await other.SetDataAsync(path, "changed"u8.ToArray());

        Assert.Equal(session, client.SessionId);
        Assert.NotNull(await other.ExistsAsync(path));
        Assert.Equal(WatchEventType.NodeDataChanged, (await fired.Task.WaitAsync(Wait)).Type);
    }

    [Fact]
    public async Task A_client_without_the_CA_is_refused_at_once_with_the_reason()
    {
        using var stranger = TestCertificates.CreateStranger();
        var watch = Stopwatch.StartNew();

        var refused = await Assert.ThrowsAsync<ZooKeeperTlsException>(() => ZooKeeperClient.ConnectAsync(zk.Options(tls: server =>
        {
            // A valid client certificate, but trusting another CA than the one that signed the server's.
            var options = stranger.ClientTls(server.Host, presentClientCertificate: false);
            options.ClientCertificates = zk.Certificates.ClientTls(server.Host).ClientCertificates;
            return options;
        })));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}; the refusal must not wait out the connect timeout");
        Assert.Equal(ZooKeeperErrorCode.ConnectionLoss, refused.Code);
        Assert.StartsWith($"ZooKeeper ConnectionLoss (-4): TLS handshake with {zk.Member.SecureEndpoint} failed: ", refused.Message);
        Assert.True(refused.Message.Contains("certificate chain"), refused.Message);
    }

    [Fact]
    public async Task A_client_certificate_of_another_CA_is_refused_by_the_server()
    {
        using var stranger = TestCertificates.CreateStranger();

        var refused = await Assert.ThrowsAsync<ZooKeeperTlsException>(() =>
            ZooKeeperClient.ConnectAsync(zk.Options(tls: server =>
            {
                var options = zk.Certificates.ClientTls(server.Host, presentClientCertificate: false);
                options.ClientCertificates = stranger.ClientTls(server.Host).ClientCertificates;
                return options;
            })));

        Assert.True(refused.Message.Contains("certificate unknown"), refused.Message);
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused_by_a_server_that_needs_one()
    {
        var refused = await Assert.ThrowsAsync<ZooKeeperTlsException>(() =>
            ZooKeeperClient.ConnectAsync(zk.Options(tls: server => zk.Certificates.ClientTls(server.Host, presentClientCertificate: false))));

        Assert.StartsWith($"ZooKeeper ConnectionLoss (-4): TLS handshake with {zk.Member.SecureEndpoint} failed: ", refused.Message);
    }

    [Fact]
    public async Task A_plain_text_client_gets_no_session_from_the_secure_port()
    {
        var options = zk.Options();
        options.Tls = null;
        options.ConnectTimeout = TimeSpan.FromSeconds(3);

        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => ZooKeeperClient.ConnectAsync(options));

        Assert.Equal(ZooKeeperErrorCode.ConnectionLoss, error.Code);
        Assert.EndsWith($"(last: ZooKeeper ConnectionLoss (-4): {zk.Member.SecureEndpoint} closed the connection during the handshake (not serving, behind this client, or a TLS port dialled without TLS))", error.Message);
    }

    [Fact]
    public async Task A_plain_text_connect_request_to_the_secure_port_gets_no_ZooKeeper_byte_back()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync("127.0.0.1", zk.Member.SecurePort!.Value);
        var stream = socket.GetStream();
        // A new-session ConnectRequest as a plain client sends it (frame of 45 bytes, 10 s timeout).
        var frame = new byte[49];
        BinaryPrimitives.WriteInt32BigEndian(frame, 45);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(16), 10_000);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(28), 16);
        await stream.WriteAsync(frame);

        var received = await ReadUntilClosedAsync(stream, TimeSpan.FromSeconds(10));

        // Either nothing, or a TLS alert record (content type 21): never a ConnectResponse (length 36 or 37, session id, password).
        Assert.True(received.Length == 0 || received[0] == 0x15, $"got {received.Length} bytes: {Convert.ToHexString(received)}");
        Assert.DoesNotContain(received.Length, new[] { 40, 41 });
    }

    private static async Task<byte[]> ReadUntilClosedAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var all = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cts.Token)) > 0) all.Write(buffer, 0, read);
        }
        catch (IOException)
        {
            // reset by the server
        }
        return all.ToArray();
    }
}
