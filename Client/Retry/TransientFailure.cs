using System.Net.Sockets;
using OrleansFs.Errors;
using Orleans.Runtime.Messaging;
using Polly.Timeout;

namespace OrleansFs.Client.Retry;

/// <summary>Decides which failures are worth another attempt: the cluster or the master was briefly unreachable.</summary>
public static class TransientFailure
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        // A fenced (stale) master refused the call; the new master will take the retry.
        FsException fs => fs.Code is FsErrorCode.Unavailable or FsErrorCode.Fenced,
        // Includes SiloUnavailableException: the silo that held the activation died.
        OrleansMessageRejectionException => true,
        TimeoutException => true,
        // An attempt that outlived its own timeout (the pipeline's timeout step).
        TimeoutRejectedException => true,
        // Orleans' own "message expired before placement could complete" while the master re-activates; the
        // caller's cancellation never gets here (RetryPipeline checks its token first).
        OperationCanceledException => true,
        ConnectionFailedException => true,
        GatewayTooBusyException => true,
        SocketException => true,
        IOException => true,
        _ => false,
    };
}
