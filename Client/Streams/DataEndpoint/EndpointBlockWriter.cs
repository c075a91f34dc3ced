using OrleansFs.Blocks.DataTransfer;

namespace OrleansFs.Client.Streams.DataEndpoint;

/// <summary>Sends one chunk of a block being written to a worker's data endpoint, with its write token, on a pooled connection.</summary>
internal static class EndpointBlockWriter
{
    public static async Task WriteAsync(DataConnectionPool pool, EndpointAccess access, long blockId, long offset, ReadOnlyMemory<byte> chunk,
        CancellationToken cancellationToken)
    {
        var connection = await pool.RentAsync(access.Endpoint, access.Tls, cancellationToken);
        bool reusable = false;
        try
        {
            await connection.SendAsync(new DataRequest(DataRequestKind.Write, blockId, offset, chunk.Length, access.Token), chunk, cancellationToken);
            try { await connection.ReceiveOkAsync(cancellationToken); }
            catch (DataEndpointException)
            {
                reusable = true;
                throw;
            }
            reusable = true;
        }
        finally
        {
            if (reusable) pool.Return(connection);
            else connection.Dispose();
        }
    }
}
