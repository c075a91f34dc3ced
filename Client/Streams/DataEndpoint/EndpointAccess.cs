using OrleansFs.Blocks.DataTransfer;

namespace OrleansFs.Client.Streams.DataEndpoint;

/// <summary>
/// What a client needs to move one block's bytes through a data endpoint: where it is, whether it speaks TLS,
/// and the access token its block grain issued for the read or the write.
/// </summary>
public sealed record EndpointAccess(string Endpoint, bool Tls, BlockAccessToken Token);
