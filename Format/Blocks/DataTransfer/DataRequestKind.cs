namespace OrleansFs.Blocks.DataTransfer;

/// <summary>What a request frame on a worker's data endpoint asks for.</summary>
public enum DataRequestKind : byte
{
    /// <summary>Stream verified bytes of a stored block; the answer is one or more data frames.</summary>
    Read = 1,
    /// <summary>One chunk of a block whose write the BlockGrain began; the payload follows the header.</summary>
    Write = 2,
}
