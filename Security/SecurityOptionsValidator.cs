using Microsoft.Extensions.Options;

namespace OrleansFs.Security;

/// <summary>
/// Checks the `Security` section when the host starts: with <see cref="SecurityOptions.Enabled"/> a certificate must
/// be configured, one way only, and load with its key; every file given must exist, be readable and hold what it
/// should. Each failure names the setting and the file.
/// </summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Failures(SecurityOptions o)
    {
        bool files = !string.IsNullOrWhiteSpace(o.CertificatePath) || !string.IsNullOrWhiteSpace(o.KeyPath);
        if (files && o.CertificateStore is not null)
            yield return "Security: give CertificatePath/KeyPath or CertificateStore, not both";
        else if (!string.IsNullOrWhiteSpace(o.KeyPath) && string.IsNullOrWhiteSpace(o.CertificatePath))
            yield return "Security:KeyPath is set without Security:CertificatePath";
        else if (files && Problem(() => PemFiles.LoadCertificate(o.CertificatePath!, NullIfEmpty(o.KeyPath)).Certificate.Dispose()) is { } problem)
            yield return problem;
        else if (o.CertificateStore is { } store && StoreProblem(store) is { } storeProblem)
            yield return storeProblem;
        if (o.Enabled && !o.HasCertificate)
            yield return "Security:Enabled needs this node's certificate: Security:CertificatePath and Security:KeyPath (PEM), or Security:CertificateStore";
        if (!string.IsNullOrWhiteSpace(o.CaPath) && Problem(() => PemFiles.LoadBundle(o.CaPath)) is { } caProblem)
            yield return caProblem;
        if (o.RequireClientCertificate && !o.Enabled)
            yield return "Security:RequireClientCertificate needs Security:Enabled";
        if (o.AccessTokenLifetime <= TimeSpan.Zero)
            yield return $"Security:AccessTokenLifetime must be positive, not {o.AccessTokenLifetime}";
        if (!string.IsNullOrWhiteSpace(o.AccessTokenKeyPath) && !File.Exists(o.AccessTokenKeyPath))
            yield return $"Security:AccessTokenKeyPath '{o.AccessTokenKeyPath}' does not exist";
    }

    private static string? StoreProblem(CertificateStoreOptions store)
    {
        bool bySubject = !string.IsNullOrWhiteSpace(store.Subject), byThumbprint = !string.IsNullOrWhiteSpace(store.Thumbprint);
        if (bySubject == byThumbprint)
            return "Security:CertificateStore needs exactly one of Subject and Thumbprint";
        return Problem(() => CertificateStoreLookup.Find(store).Dispose());
    }

    private static string? Problem(Action load)
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

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
