namespace OrleansFs.Blocks.DataTransfer;

/// <summary>The outcome a response frame carries. Anything but <see cref="Ok"/> has a UTF-8 message as payload.</summary>
public enum DataStatus : byte
{
    Ok = 0,
    /// <summary>The request frame was malformed; the worker closes the connection after saying so.</summary>
    BadRequest = 1,
    /// <summary>The block is not in this worker's store (never here, evicted, or deleted).</summary>
    UnknownBlock = 2,
    /// <summary>The range asked for is not inside the block.</summary>
    OutOfRange = 3,
    /// <summary>A chunk arrived for a block with no write in progress on this worker.</summary>
    WriteNotBegun = 4,
    /// <summary>The stored bytes do not match the block's checksum; the worker dropped its copy.</summary>
    ChecksumMismatch = 5,
    NoSpace = 6,
    Failed = 7,
    /// <summary>
    /// The request's access token is missing, expired, or for another block or mode; the client asks the block's
    /// grain for a new one. Nothing was read or written.
    /// </summary>
    Forbidden = 8,
}
