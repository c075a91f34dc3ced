using OrleansFs.Errors;

namespace OrleansFs.Client.Streams.DataEndpoint;

/// <summary>
/// The TLS handshake with a data endpoint failed: this client does not trust the worker's certificate, or the
/// worker wants a client certificate this client does not have. Not a reason to fall back to the grain path.
/// </summary>
public sealed class DataEndpointTlsException(string message, Exception inner) : Exception(message, inner)
{
    public FsException ToFsException(string path) => new(FsErrorCode.PermissionDenied, path, Message);
}
