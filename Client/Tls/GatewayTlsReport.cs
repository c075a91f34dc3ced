using System.Net;

namespace OrleansFs.Client.Tls;

/// <summary>
/// Why connections to a gateway are refused at the TLS layer, in words a user can act on. Orleans only sees a
/// connection that closed and would retry until the connect timeout; the TLS callbacks and the transport watch
/// record the cause here, the connect retry filter stops once it is conclusive (retrying cannot fix a certificate),
/// and <see cref="OrleansFsClient.ConnectAsync"/> reports it.
/// </summary>
public sealed class GatewayTlsReport
{
    /// <summary>
    /// A gateway that closes a connection before answering could also be one shutting down: only this many closes in a
    /// row, with no answer in between, make the guess conclusive.
    /// </summary>
    private const int ClosesBeforeConclusive = 3;

    private readonly Lock _gate = new();
    private string? _failure;
    private bool _certain;
    private int _closes;

    /// <summary>The reason, or null while no connection has been refused for a TLS reason.</summary>
    public string? Failure
    {
        get { lock (_gate) return _failure; }
    }

    /// <summary>Whether retrying is pointless: this client's check refused the gateway, or the gateway kept refusing it.</summary>
    public bool IsConclusive
    {
        get { lock (_gate) return _certain || _closes >= ClosesBeforeConclusive; }
    }

    /// <summary>This client refused the gateway's certificate (<paramref name="problem"/> says why).</summary>
    public void Untrusted(EndPoint? gateway, string problem) =>
        Certain($"TLS handshake with gateway {gateway} failed: the gateway's certificate is not trusted: {problem}");

    /// <summary>A plain-text client read a TLS record from the gateway.</summary>
    public void SpeaksTls(EndPoint? gateway) => Certain(PlainRefused(gateway));

    /// <summary>A TLS client read plain bytes from the gateway: the cluster does not use TLS.</summary>
    public void AnsweredInPlainText(EndPoint? gateway) =>
        Certain($"TLS handshake with gateway {gateway} failed: the gateway answered in plain text; this cluster does not use TLS (drop --tls-ca, --tls-cert and --tls-key)");

    /// <summary>The gateway closed the connection without a byte of answer to this client's TLS hello.</summary>
    public void ClosedDuringHandshake(EndPoint? gateway) =>
        Suspect($"TLS handshake with gateway {gateway} failed: the gateway closed the connection without answering it; does this cluster use TLS? (without Security:Enabled, drop --tls-ca, --tls-cert and --tls-key)");

    /// <summary>The gateway closed the connection before its first byte of Orleans: after our TLS handshake, or at once.</summary>
    public void ClosedBeforeAnswer(EndPoint? gateway, bool tls, bool hadCertificate)
    {
        Suspect(!tls ? PlainRefused(gateway)
            : hadCertificate
                ? $"TLS handshake with gateway {gateway} failed: the gateway refused this client's certificate (it must be signed by the cluster's CA and allow client authentication)"
                : $"TLS handshake with gateway {gateway} failed: the gateway requires a client certificate (pass --tls-cert and --tls-key)");
    }

    /// <summary>A gateway answered: whatever an earlier connection met is no longer the reason.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _failure = null;
            _certain = false;
            _closes = 0;
        }
    }

    /// <summary>A likely reason, conclusive once the gateway has closed on us <see cref="ClosesBeforeConclusive"/> times in a row.</summary>
    private void Suspect(string reason)
    {
        lock (_gate)
        {
            if (_certain) return;
            _failure = reason;
            _closes++;
        }
    }

    private void Certain(string reason)
    {
        lock (_gate)
        {
            _failure = reason;
            _certain = true;
        }
    }

    private static string PlainRefused(EndPoint? gateway) =>
        $"the gateway {gateway} closed the plain-text connection without answering: the cluster requires TLS (pass --tls-ca with the cluster's CA)";
}
