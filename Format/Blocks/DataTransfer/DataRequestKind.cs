namespace OrleansFs.Blocks.DataTransfer;

/// <summary>What a request frame on a worker's data endpoint asks for.</summary>
public enum DataRequestKind : byte
{
    /// <summary>Stream verified bytes of a stored block; the answer is one or more data frames.</summary>
    Read = 1,
    /// <summary>One chunk of a block whose write the BlockGrain began; the payload follows the header.</summary>
    Write = 2,
    /// <summary>
    /// One chunk of a block being written, like <see cref="Write"/>, but not answered on its own: the worker answers the
    /// next <see cref="Acknowledge"/> for all of them, so a writer keeps a window of chunks on the wire.
    /// </summary>
    WriteBatched = 3,
    /// <summary>
    /// Ends a batch of <see cref="WriteBatched"/> frames for the block; its count is how many were sent since the last
    /// one. Answered by one frame: Ok when every chunk of the batch was stored, else the first error (the chunks after
    /// it in the batch were not applied). A count of 0 asks only whether the worker speaks batched writes (protocol
    /// version 3); a worker of an older release answers it as a bad request.
    /// </summary>
    Acknowledge = 4,
    /// <summary>
    /// A <see cref="Read"/> whose every data frame is followed by a confirm frame: Ok with no payload once the worker
    /// has checked that the block file was as it verified it all the while the frame was sent, else an error (Failed:
    /// the file changed meanwhile, ask again; ChecksumMismatch: the block is damaged). The reader hands out a frame's
    /// bytes only after its confirm, which lets the worker send a verified block's file with sendfile(2), checking
    /// after the send instead of before it. A read token covers it.
    /// </summary>
    ReadConfirmed = 5,
}
