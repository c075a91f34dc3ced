using System.Net.Sockets;
using OrleansFs.Blocks.DataTransfer;
using OrleansFs.Errors;

namespace OrleansFs.Client.Streams.DataEndpoint;

/// <summary>A worker's data endpoint answered a request with an error status.</summary>
public sealed class DataEndpointException(DataStatus status, string message) : Exception(message)
{
    public DataStatus Status { get; } = status;

    /// <summary>The error as a user sees it, naming the file.</summary>
    public FsException ToFsException(string path) => Status switch
    {
        DataStatus.ChecksumMismatch => new FsException(FsErrorCode.ChecksumMismatch, path, Message),
        DataStatus.NoSpace => new FsException(FsErrorCode.NoSpace, path, Message),
        DataStatus.UnknownBlock => FsException.Unavailable($"{path}: {Message}"),
        DataStatus.Forbidden => new FsException(FsErrorCode.PermissionDenied, path, $"data endpoint refused the request: {Message}"),
        _ => new FsException(FsErrorCode.InvalidArgument, path, $"data endpoint refused the request ({Status}): {Message}"),
    };

    /// <summary>
    /// True for failures the BlockGrain can still answer: the endpoint is unreachable or died mid-transfer,
    /// or the block left that worker. The grain then re-locates, reloads from the under-storage or reports LOST.
    /// </summary>
    public static bool CanFallBack(Exception e) => e switch
    {
        DataEndpointException d => d.Status == DataStatus.UnknownBlock,
        SocketException or IOException or TimeoutException or ObjectDisposedException => true,
        _ => false,
    };
}
