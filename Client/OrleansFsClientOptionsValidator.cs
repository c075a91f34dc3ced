using Microsoft.Extensions.Options;
using OrleansFs.Security;

namespace OrleansFs.Client;

/// <summary>
/// Checks <see cref="OrleansFsClientOptions"/> before the client connects, so a bad value fails at once with a
/// message naming the option instead of as a connection or retry error later. <c>AddOrleansFsClient</c> runs it
/// on start (ValidateOnStart) and <see cref="OrleansFsClient.ConnectAsync"/> runs it before anything else.
/// </summary>
public sealed class OrleansFsClientOptionsValidator : IValidateOptions<OrleansFsClientOptions>
{
    public ValidateOptionsResult Validate(string? name, OrleansFsClientOptions options)
    {
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The first failure as an <see cref="ArgumentException"/> (what a bad command-line value gives), or nothing.</summary>
    public static void ThrowIfInvalid(OrleansFsClientOptions options)
    {
        string? failure = Failures(options).FirstOrDefault();
        if (failure is not null) throw new ArgumentException(failure);
    }

    private static IEnumerable<string> Failures(OrleansFsClientOptions o)
    {
        if (!string.IsNullOrWhiteSpace(o.ZooKeeperConnectionString))
        {
            if (ZooKeeperProblem(o.ZooKeeperConnectionString) is { } problem)
                yield return $"ZooKeeperConnectionString '{o.ZooKeeperConnectionString}' is not host:port[,host:port...][/chroot]: {problem}";
            if (!string.IsNullOrWhiteSpace(o.PostgreSqlConnectionString))
                yield return "give ZooKeeperConnectionString or PostgreSqlConnectionString, not both";
        }
        else if (!string.IsNullOrWhiteSpace(o.PostgreSqlConnectionString))
        {
            if (PostgreSqlProblem(o.PostgreSqlConnectionString) is { } problem)
                yield return $"PostgreSqlConnectionString cannot be used: {problem}";
        }
        else
        {
            foreach (string gateway in o.Gateways)
                if (!IsHostPort(gateway))
                    yield return $"gateway '{gateway}' is not host:port (Gateways)";
        }
        if (!string.IsNullOrWhiteSpace(o.ZooKeeperAuth) && !o.ZooKeeperAuth.Contains(':'))
            yield return "ZooKeeperAuth must be scheme:credentials (e.g. digest:user:password)";
        foreach (string problem in TlsProblems(o.Tls)) yield return problem;
        if (string.IsNullOrWhiteSpace(o.ClusterId)) yield return "ClusterId must not be empty";
        if (string.IsNullOrWhiteSpace(o.ServiceId)) yield return "ServiceId must not be empty";
        foreach (var (option, value) in Timeouts(o))
            if (value <= TimeSpan.Zero) yield return $"{option} must be positive, not {value}";
        if (o.AttemptTimeout > o.CallTimeout)
            yield return $"AttemptTimeout ({o.AttemptTimeout}) must not be longer than CallTimeout ({o.CallTimeout})";
        if (o.InitialRetryDelay <= TimeSpan.Zero)
            yield return $"InitialRetryDelay must be positive, not {o.InitialRetryDelay}";
        if (o.MaxRetryDelay < o.InitialRetryDelay)
            yield return $"MaxRetryDelay ({o.MaxRetryDelay}) must not be shorter than InitialRetryDelay ({o.InitialRetryDelay})";
        if (o.MaxRetryDelay >= o.CallTimeout)
            yield return $"MaxRetryDelay ({o.MaxRetryDelay}) must be shorter than CallTimeout ({o.CallTimeout}), or no retry could ever run";
        if (o.MetadataCacheMaxAge < TimeSpan.Zero)
            yield return $"MetadataCacheMaxAge must be zero (no cache) or positive, not {o.MetadataCacheMaxAge}";
        if (o.ListingPageSize is < 1 or > OrleansFs.Files.ListingRequest.MaxLimit)
            yield return $"ListingPageSize must be 1 to {OrleansFs.Files.ListingRequest.MaxLimit}, not {o.ListingPageSize}";
    }

    private static IEnumerable<(string, TimeSpan)> Timeouts(OrleansFsClientOptions o) =>
    [
        (nameof(o.CallTimeout), o.CallTimeout),
        (nameof(o.AttemptTimeout), o.AttemptTimeout),
        (nameof(o.ResponseTimeout), o.ResponseTimeout),
        (nameof(o.ConnectTimeout), o.ConnectTimeout),
        (nameof(o.GatewayListRefreshPeriod), o.GatewayListRefreshPeriod),
    ];

    /// <summary>The CA bundle and the client certificate, when given, must load: a bad file is named now, not as a failed handshake.</summary>
    private static IEnumerable<string> TlsProblems(ClientTlsOptions tls)
    {
        if (!string.IsNullOrWhiteSpace(tls.KeyPath) && string.IsNullOrWhiteSpace(tls.CertificatePath))
            yield return "Tls.KeyPath is set without Tls.CertificatePath";
        if (!string.IsNullOrWhiteSpace(tls.CertificatePath)
            && LoadProblem(() => PemFiles.LoadCertificate(tls.CertificatePath, string.IsNullOrWhiteSpace(tls.KeyPath) ? null : tls.KeyPath, "Tls.CertificatePath", "Tls.KeyPath").Certificate.Dispose()) is { } certificate)
            yield return certificate;
        if (!string.IsNullOrWhiteSpace(tls.CaPath) && LoadProblem(() => PemFiles.LoadBundle(tls.CaPath, "Tls.CaPath")) is { } ca)
            yield return ca;
    }

    private static string? LoadProblem(Action load)
    {
        try
        {
            load();
            return null;
        }
        catch (CertificateLoadException e)
        {
            return e.Message;
        }
    }

    // The connection string is a secret: the problem names what is wrong, never the string itself.
    private static string? PostgreSqlProblem(string connectionString)
    {
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host) ? "it names no Host" : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    private static string? ZooKeeperProblem(string connectionString)
    {
        int slash = connectionString.IndexOf('/');
        string hosts = slash < 0 ? connectionString : connectionString[..slash];
        if (slash >= 0 && (connectionString.Length == slash + 1 || connectionString.EndsWith('/')))
            return "the chroot must name a path, without a trailing '/'";
        foreach (string host in hosts.Split(','))
            if (!IsHostPort(host.Trim())) return $"'{host}' is not host:port";
        return null;
    }

    /// <summary>host:port with a port in 1..65535; the host is resolved later, when connecting.</summary>
    private static bool IsHostPort(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0) return false;
        string host = value[..colon];
        return int.TryParse(value.AsSpan(colon + 1), out int port) && port is >= 1 and <= 65535 && !host.Any(char.IsWhiteSpace);
    }
}
