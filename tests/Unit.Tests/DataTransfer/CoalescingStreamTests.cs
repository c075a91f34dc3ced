using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using OrleansFs.Blocks.DataTransfer;
using OrleansFs.TestSupport.Tls;

namespace OrleansFs.Tests.DataTransfer;

/// <summary>
/// The buffer between a TLS data connection's SslStream and its socket. SslStream hands it one 16 KiB record at a
/// time; a 1 MiB frame must still leave in a few large sends and arrive through a few large receives, every byte in
/// order, and the handshake's messages must leave as they are written.
/// </summary>
public sealed class CoalescingStreamTests
{
    private const int Frame = 1 << 20;
    private const int Record = 16 * 1024;

    [Fact]
    public async Task A_frame_written_record_by_record_leaves_in_whole_buffers_and_its_rest_at_the_flush()
    {
        var socket = new CountingStream(new MemoryStream());
        await using var stream = new CoalescingStream(socket) { Coalesce = true };
        byte[] frame = Bytes(Frame);

        for (int at = 0; at < Frame; at += Record) await stream.WriteAsync(frame.AsMemory(at, Record));
        Assert.Equal(Frame / CoalescingStream.BufferBytes - 1, socket.Writes);
        Assert.Equal(Frame - CoalescingStream.BufferBytes, socket.Inner.Length);

        await stream.FlushAsync();
        Assert.Equal(Frame / CoalescingStream.BufferBytes, socket.Writes);
        Assert.Equal(frame, ((MemoryStream)socket.Inner).ToArray());
    }

    [Fact]
    public async Task Before_coalescing_is_on_each_write_leaves_at_once()
    {
        var socket = new CountingStream(new MemoryStream());
        await using var stream = new CoalescingStream(socket);

        await stream.WriteAsync(Bytes(300));
        await stream.WriteAsync(Bytes(40));

        Assert.Equal(2, socket.Writes);
        Assert.Equal(340, socket.Inner.Length);
    }

    [Fact]
    public async Task Record_sized_reads_take_the_socket_in_buffer_sized_receives()
    {
        byte[] frame = Bytes(Frame);
        var socket = new CountingStream(new MemoryStream(frame));
        await using var stream = new CoalescingStream(socket);

        var read = new byte[Frame];
        for (int at = 0; at < Frame;) at += await stream.ReadAsync(read.AsMemory(at, Math.Min(Record, Frame - at)));

        Assert.Equal(frame, read);
        Assert.Equal(Frame / CoalescingStream.BufferBytes, socket.Reads);
        Assert.Equal(0, await stream.ReadAsync(new byte[Record]));
    }

    [Fact]
    public async Task Over_TLS_a_header_and_a_1_MiB_frame_arrive_intact_from_at_most_five_sends()
    {
        using var certificates = TestCertificates.Create("localhost");
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var clientSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await clientSocket.ConnectAsync(listener.LocalEndPoint!);
        using var serverSocket = await listener.AcceptAsync();

        var clientWire = new CountingStream(new NetworkStream(clientSocket));
        var clientTransport = new CoalescingStream(clientWire);
        await using var client = new SslStream(clientTransport);
        var serverTransport = new CoalescingStream(new NetworkStream(serverSocket));
        await using var server = new SslStream(serverTransport);
        using var serverCertificate = X509Certificate2.CreateFromPemFile(certificates.ServerCertificatePath, certificates.ServerKeyPath);
        var serverOptions = new SslServerAuthenticationOptions { ServerCertificate = serverCertificate };
        var clientOptions = certificates.ClientTls("localhost", presentClientCertificate: false);
        DataCipherSuites.Apply(serverOptions);
        DataCipherSuites.Apply(clientOptions);
        await Task.WhenAll(server.AuthenticateAsServerAsync(serverOptions), client.AuthenticateAsClientAsync(clientOptions));
        clientTransport.Coalesce = true;
        serverTransport.Coalesce = true;

        byte[] header = Bytes(DataFrameCodec.RequestBytes);
        byte[] frame = Bytes(Frame);
        int sendsBefore = clientWire.Writes;
        var receive = ReceiveAsync(server, header.Length + frame.Length);
        await client.WriteAsync(header);
        await client.WriteAsync(frame);
        await client.FlushAsync();

        byte[] received = await receive;
        Assert.Equal(header.Concat(frame), received);
        // 65 records (the header's and 64 of the frame's) without the buffer; 1 MiB and their overhead fill five sends of 256 KiB.
        Assert.InRange(clientWire.Writes - sendsBefore, 1, 5);
    }

    private static async Task<byte[]> ReceiveAsync(Stream stream, int length)
    {
        var bytes = new byte[length];
        await stream.ReadExactlyAsync(bytes);
        return bytes;
    }

    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A stream that counts the reads and writes that reach it: the receives and sends of a socket.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public Stream Inner => inner;
        public int Reads { get; private set; }
        public int Writes { get; private set; }

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = await inner.ReadAsync(buffer, cancellationToken);
            if (n > 0) Reads++;
            return n;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override void Flush() => inner.Flush();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
