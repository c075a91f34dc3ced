namespace OrleansFs.Blocks.DataTransfer;

/// <summary>
/// Permission to read, or to write, one block on the data endpoint of the worker that holds it, until
/// <see cref="ExpiresUnixMs"/> (that worker's clock). The block grain issues it to a client that opened the
/// file (a read token with the block's location, a write token with its write target) and the endpoint
/// checks it on every request; <see cref="Mac"/> is a truncated HMAC-SHA256 over the block id, the mode and
/// the expiry under a key only the silos have, so a block id alone no longer reads or overwrites a block.
/// The default value is no token and is always refused.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("OrleansFs.BlockAccessToken")]
public readonly record struct BlockAccessToken([property: Id(0)] long ExpiresUnixMs, [property: Id(1)] UInt128 Mac)
{
    public bool IsNone => ExpiresUnixMs == 0 && Mac == UInt128.Zero;
}
