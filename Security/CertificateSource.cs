using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrleansFs.Security;

/// <summary>
/// This node's certificate and the CAs it trusts, for every TLS link. The certificate comes from PEM files or the
/// store; the files are re-read when they change on disk (a watcher marks them, and a stat of each file on use
/// catches what a watcher misses), so a renewed certificate is presented by the next connection without a restart.
/// A replacement that does not load (half written, key of another certificate) is logged and the previous
/// certificate stays in use. Peers are checked against <see cref="SecurityOptions.CaPath"/> alone when it is set
/// (custom root trust), else against the system's roots.
/// </summary>
public sealed partial class CertificateSource : IDisposable
{
    private static readonly TimeSpan StoreRefresh = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RetryFailedLoad = TimeSpan.FromSeconds(1);

    private readonly SecurityOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private Loaded? _certificate;
    private LoadedCa? _ca;
    private volatile bool _changed;
    private long _retryAt;

    public CertificateSource(SecurityOptions options, ILogger<CertificateSource>? logger = null)
    {
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        if (options.HasCertificate) _certificate = LoadCertificate() ?? throw new CertificateLoadException("no certificate configured");
        if (!string.IsNullOrWhiteSpace(options.CaPath)) _ca = LoadCa();
        Watch(options.CertificatePath, options.KeyPath, options.CaPath);
    }

    /// <summary>A client's source: its CA and optional client certificate.</summary>
    public static CertificateSource ForClient(ClientTlsOptions tls, ILogger<CertificateSource>? logger = null) =>
        new(tls.ToSecurityOptions(), logger);

    /// <summary>`Security:Enabled` (for a client: TLS is on).</summary>
    public bool Enabled => _options.Enabled;

    public bool RequireClientCertificate => _options.RequireClientCertificate;

    public bool HasCertificate => _certificate is not null;

    /// <summary>This node's certificate with its private key, re-read first if its files changed.</summary>
    public X509Certificate2 Current => CurrentOrNull ?? throw new InvalidOperationException(
        "no certificate is configured: set Security:CertificatePath and Security:KeyPath, or Security:CertificateStore");

    /// <summary>This node's certificate, or null when none is configured (a client without one).</summary>
    public X509Certificate2? CurrentOrNull => Fresh()?.Certificate;

    /// <summary>The CAs of `Security:CaPath` (re-read when the file changes), or null: the system's roots.</summary>
    public X509Certificate2Collection? TrustedCa
    {
        get
        {
            Fresh();
            return _ca?.Certificates;
        }
    }

    /// <summary>
    /// Whether a peer's certificate is acceptable: it chains to <see cref="TrustedCa"/> (only to those when set, else to
    /// the system's roots). No host-name check: inside a cluster, peers are dialled at the addresses the membership
    /// table advertises, and a certificate is a member's because the cluster's CA signed it. Same shape as Orleans'
    /// <c>TlsOptions.RemoteCertificateValidation</c>.
    /// </summary>
    public bool ValidateRemote(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        ValidateRemote(certificate, chain, errors, hostName: null, peer: null);

    /// <summary>As above, and with <paramref name="hostName"/> the certificate must also name that host (DNS or IP SAN).</summary>
    public bool ValidateRemote(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors, string? hostName, string? peer)
    {
        var problem = Problem(certificate, chain, errors, hostName);
        if (problem is null) return true;
        LogRefused(_logger, peer ?? hostName ?? "a peer", problem);
        return false;
    }

    /// <summary>Why a peer's certificate is refused, or null when it is acceptable.</summary>
    public string? Problem(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors, string? hostName)
    {
        if (certificate is null) return "it presented no certificate";
        string subject = certificate.Subject;
        var ca = TrustedCa;
        if (ca is not null)
        {
            if (ChainProblem(certificate, chain, ca) is { } chainProblem)
                return $"its certificate '{subject}' is not signed by a CA in {_options.CaPath} ({chainProblem})";
        }
        else if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            string statuses = chain is null ? "untrusted" : string.Join(", ", chain.ChainStatus.Select(s => s.Status));
            return $"its certificate '{subject}' is not trusted by this machine's roots ({statuses}); give the cluster's CA (Security:CaPath, --tls-ca)";
        }
        if (hostName is not null && !certificate.MatchesHostname(hostName))
            return $"its certificate '{subject}' is not issued for '{hostName}' (no matching DNS or IP subject alternative name)";
        return null;
    }

    /// <summary>
    /// For a TLS server: this node's certificate as it is now (call once per connection so a renewed one is used),
    /// peers checked by <see cref="ValidateRemote(X509Certificate2?, X509Chain?, SslPolicyErrors)"/>.
    /// </summary>
    public SslServerAuthenticationOptions ServerOptions(bool requireClientCertificate)
    {
        var loaded = Fresh() ?? throw new InvalidOperationException("a TLS server needs a certificate: set Security:CertificatePath and Security:KeyPath, or Security:CertificateStore");
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = loaded.Context,
            ClientCertificateRequired = requireClientCertificate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                certificate is null ? !requireClientCertificate : ValidateRemote(AsX509Certificate2(certificate), chain, errors, null, "a client"),
        };
    }

    /// <summary>
    /// For a TLS client dialling <paramref name="targetHost"/>: this node's certificate if it has one (re-read as for
    /// servers); a refused server fails the handshake with an <see cref="AuthenticationException"/> saying why. With <paramref name="checkHostName"/> the server's certificate must name <paramref name="targetHost"/>;
    /// used where the user wrote the host (ZooKeeper, the web interface), not between cluster members.
    /// </summary>
    public SslClientAuthenticationOptions ClientOptions(string targetHost, bool checkHostName = true)
    {
        var loaded = Fresh();
        return new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            ClientCertificateContext = loaded?.Context,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                RefuseWithReason(AsX509Certificate2(certificate), chain, errors, checkHostName ? targetHost : null, targetHost),
        };
    }

    /// <summary>
    /// A client's check: a refusal throws, so the handshake fails with the reason (SslStream passes the exception on)
    /// rather than with "the remote certificate was rejected by the provided callback".
    /// </summary>
    private bool RefuseWithReason(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors, string? hostName, string server)
    {
        var problem = Problem(certificate, chain, errors, hostName);
        if (problem is null) return true;
        LogRefused(_logger, server, problem);
        throw new AuthenticationException($"the server {server} is not trusted: {problem}");
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers) watcher.Dispose();
        _watchers.Clear();
    }

    private static X509Certificate2? AsX509Certificate2(X509Certificate? certificate) =>
        certificate as X509Certificate2 ?? (certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));

    private static string? ChainProblem(X509Certificate2 certificate, X509Chain? presented, X509Certificate2Collection ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
            foreach (var element in presented.ChainElements)
                if (!element.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        if (chain.Build(certificate)) return null;
        return string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
    }

    /// <summary>The certificate, re-read when a file changed (at most once a second while a replacement fails to load).</summary>
    private Loaded? Fresh()
    {
        var current = Volatile.Read(ref _certificate);
        bool changed = _changed;
        if (!changed && !Stale(current) && !StaleCa()) return current;
        lock (_gate)
        {
            if (Environment.TickCount64 < _retryAt) return _certificate;
            _changed = false;
            // The watcher also sees a replacement with the same time and size, which the stat alone would miss.
            if (_ca is not null && (changed || StaleCa())) ReloadCa();
            if (_certificate is not null && (changed || Stale(_certificate))) Reload();
            return _certificate;
        }
    }

    private bool Stale(Loaded? loaded)
    {
        if (loaded is null) return false;
        if (_options.CertificateStore is not null) return DateTime.UtcNow - loaded.LoadedAt > StoreRefresh;
        return loaded.Stamp != FileStamp.Of(_options.CertificatePath, _options.KeyPath);
    }

    private bool StaleCa() => _ca is { } ca && ca.Stamp != FileStamp.Of(_options.CaPath, null);

    private void Reload()
    {
        try
        {
            Volatile.Write(ref _certificate, LoadCertificate());
        }
        catch (CertificateLoadException e)
        {
            _retryAt = Environment.TickCount64 + (long)RetryFailedLoad.TotalMilliseconds;
            LogReloadFailed(_logger, _certificate?.Certificate.Subject ?? "", _certificate?.Certificate.Thumbprint ?? "", e.Message, e);
        }
    }

    private void ReloadCa()
    {
        try
        {
            _ca = LoadCa();
        }
        catch (CertificateLoadException e)
        {
            _retryAt = Environment.TickCount64 + (long)RetryFailedLoad.TotalMilliseconds;
            LogCaReloadFailed(_logger, _options.CaPath!, e.Message, e);
        }
    }

    private Loaded? LoadCertificate()
    {
        if (_options.CertificateStore is { } store)
        {
            var fromStore = CertificateStoreLookup.Find(store);
            if (_certificate?.Certificate.Thumbprint == fromStore.Thumbprint) return _certificate with { LoadedAt = DateTime.UtcNow };
            return Loaded.From(fromStore, [], default, this);
        }
        if (string.IsNullOrWhiteSpace(_options.CertificatePath)) return null;
        string? keyPath = string.IsNullOrWhiteSpace(_options.KeyPath) ? null : _options.KeyPath;
        // Stamp first: a file replaced while it is read is stamped old and read again on next use.
        var stamp = FileStamp.Of(_options.CertificatePath, keyPath);
        var (certificate, chain) = PemFiles.LoadCertificate(_options.CertificatePath, keyPath);
        return Loaded.From(certificate, chain, stamp, this);
    }

    private LoadedCa LoadCa()
    {
        var stamp = FileStamp.Of(_options.CaPath, null);
        var bundle = PemFiles.LoadBundle(_options.CaPath!);
        LogCaLoaded(_logger, bundle.Count, _options.CaPath!);
        return new LoadedCa(bundle, stamp);
    }

    private void Watch(params string?[] paths)
    {
        foreach (var group in paths.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => Path.GetFullPath(p!)).GroupBy(Path.GetDirectoryName))
        {
            if (group.Key is null || !Directory.Exists(group.Key)) continue;
            var names = group.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            try
            {
                var watcher = new FileSystemWatcher(group.Key) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
                FileSystemEventHandler mark = (_, e) => { if (names.Contains(e.Name)) _changed = true; };
                watcher.Changed += mark;
                watcher.Created += mark;
                watcher.Deleted += mark;
                watcher.Renamed += (_, e) => { if (names.Contains(e.Name) || names.Contains(e.OldName)) _changed = true; };
                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
            }
            catch (Exception e) when (e is IOException or PlatformNotSupportedException or UnauthorizedAccessException)
            {
                // The stat on use still notices a change; the watcher only adds replacements that keep time and size.
                LogWatchUnavailable(_logger, group.Key, e.Message);
            }
        }
    }

    /// <summary>A loaded certificate with the context TLS servers and clients present (intermediates included).</summary>
    private sealed record Loaded(X509Certificate2 Certificate, SslStreamCertificateContext Context, FileStamp Stamp, DateTime LoadedAt)
    {
        public static Loaded From(X509Certificate2 certificate, X509Certificate2Collection chain, FileStamp stamp, CertificateSource source)
        {
            LogLoaded(source._logger, certificate.Subject, certificate.Thumbprint, certificate.NotAfter,
                source._options.CertificatePath ?? $"{source._options.CertificateStore?.StoreLocation}/{source._options.CertificateStore?.StoreName}");
            var context = SslStreamCertificateContext.Create(certificate, chain, offline: true);
            return new Loaded(certificate, context, stamp, DateTime.UtcNow);
        }
    }

    private sealed record LoadedCa(X509Certificate2Collection Certificates, FileStamp Stamp);

    /// <summary>What a change of a file shows: its time and size (both files of a pair).</summary>
    private readonly record struct FileStamp(DateTime FirstTime, long FirstLength, DateTime SecondTime, long SecondLength)
    {
        public static FileStamp Of(string? first, string? second)
        {
            var (t1, l1) = Stat(first);
            var (t2, l2) = Stat(second);
            return new FileStamp(t1, l1, t2, l2);
        }

        private static (DateTime, long) Stat(string? path)
        {
            if (string.IsNullOrWhiteSpace(path)) return default;
            var info = new FileInfo(path);
            return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
        }
    }

    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "TLS certificate {Subject} ({Thumbprint}, valid until {NotAfter:u}) loaded from {Source}")]
    private static partial void LogLoaded(ILogger logger, string subject, string thumbprint, DateTime notAfter, string source);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "TLS certificate files changed but do not load; still presenting {Subject} ({Thumbprint}): {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string subject, string thumbprint, string reason, Exception exception);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "TLS: refused {Peer}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Information, Message = "TLS: trusting {Count} CA certificates from {CaPath}")]
    private static partial void LogCaLoaded(ILogger logger, int count, string caPath);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Warning, Message = "TLS CA bundle {CaPath} changed but does not load; still trusting the previous one: {Reason}")]
    private static partial void LogCaReloadFailed(ILogger logger, string caPath, string reason, Exception exception);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Debug, Message = "TLS: no file watcher on {Directory} ({Reason}); changes are noticed by checking the files on use")]
    private static partial void LogWatchUnavailable(ILogger logger, string directory, string reason);
}
