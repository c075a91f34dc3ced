namespace OrleansFs.Security;

/// <summary>A certificate, key or CA bundle that cannot be used, with a message that names the setting and the file.</summary>
public sealed class CertificateLoadException(string message, Exception? inner = null) : Exception(message, inner);
