using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;

namespace OrleansFs.Client.Tls;

/// <summary>
/// Watches the first read on each gateway connection, inside the TLS layer when there is one. A gateway that
/// refuses the client's certificate does so after the TLS 1.3 handshake has completed on the client's side: the
/// refusal arrives as an alert on the first read. A plain client reading a TLS gateway's first bytes sees a
/// TLS record. Either way the cause goes to <see cref="GatewayTlsReport"/>; a first read that brings data clears it.
/// Under the TLS layer, the first bytes of a gateway that answers in plain text show a cluster without TLS.
/// </summary>
internal static class GatewayTransportWatch
{
    private const byte AlertRecord = 0x15;
    private const byte HandshakeRecord = 0x16;
    private const byte TlsMajorVersion = 0x03;

    /// <summary>Where the watch sits: on a plain connection, inside the TLS layer, or under it (the raw bytes).</summary>
    public enum Position
    {
        Plain,
        InsideTls,
        UnderTls,
    }

    public static void Use(IConnectionBuilder builder, GatewayTlsReport report, Position position, bool hasCertificate) =>
        builder.Use(next => async context =>
        {
            var original = context.Transport;
            var watched = new FirstReadWatch(original.Input, context.RemoteEndPoint, report, position, hasCertificate);
            context.Transport = new WatchedPipe(watched, original.Output);
            try
            {
                await next(context);
            }
            finally
            {
                context.Transport = original;
            }
        });

    private sealed class WatchedPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    private sealed class FirstReadWatch(PipeReader inner, EndPoint? gateway, GatewayTlsReport report, Position position, bool hasCertificate) : PipeReader
    {
        private bool _watched;

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            if (_watched) return await inner.ReadAsync(cancellationToken);
            try
            {
                var result = await inner.ReadAsync(cancellationToken);
                Observe(result);
                return result;
            }
            catch (Exception e) when (e is IOException or AuthenticationException && position != Position.UnderTls)
            {
                // The TLS layer failed reading the gateway's first record: its alert, or the connection it aborted.
                Closed();
                throw;
            }
        }

        public override bool TryRead(out ReadResult result)
        {
            bool read = inner.TryRead(out result);
            if (read && !_watched) Observe(result);
            return read;
        }

        private void Observe(ReadResult result)
        {
            if (result.Buffer.IsEmpty)
            {
                if (result.IsCompleted) Closed();
                return;
            }
            _watched = true;
            // A single first byte is too little to judge by.
            if (position == Position.UnderTls && result.Buffer.Length < 2) return;
            bool tlsRecord = IsTlsRecord(result.Buffer);
            if (position == Position.UnderTls)
            {
                if (!tlsRecord) report.AnsweredInPlainText(gateway);
            }
            else if (position == Position.Plain && tlsRecord) report.SpeaksTls(gateway);
            else report.Clear();
        }

        private void Closed()
        {
            _watched = true;
            // Under TLS, only a server that does not speak TLS closes without a byte of answer to the client's hello.
            if (position == Position.UnderTls) report.ClosedDuringHandshake(gateway);
            else report.ClosedBeforeAnswer(gateway, position == Position.InsideTls, hasCertificate);
        }

        private static bool IsTlsRecord(ReadOnlySequence<byte> buffer)
        {
            if (buffer.Length < 2) return false;
            Span<byte> head = stackalloc byte[2];
            buffer.Slice(0, 2).CopyTo(head);
            return head[0] is AlertRecord or HandshakeRecord && head[1] == TlsMajorVersion;
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);
        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);
        public override void CancelPendingRead() => inner.CancelPendingRead();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
