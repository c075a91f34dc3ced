using System.Buffers.Binary;
using System.Security.Cryptography;
using OrleansFs.Blocks.DataTransfer;

namespace OrleansFs.Grains.Blocks.DataEndpoint;

/// <summary>
/// Issues and checks this silo's <see cref="BlockAccessToken"/>s: HMAC-SHA256 (truncated to 128 bits) under the
/// silo's access-token key over the block id, the mode (read or write) and the expiry. A block
/// grain only ever names its own silo's data endpoint, so the silo that issues a token is the one that checks it.
/// </summary>
public sealed class BlockAccessTokens
{
    private const int MessageBytes = 8 + 1 + 8;
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public BlockAccessTokens(AccessTokenKey key, TimeSpan lifetime, TimeProvider? time = null)
    {
        if (lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "an access token lifetime must be positive");
        _key = key.Bytes;
        KeySource = key.Source;
        Lifetime = lifetime;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan Lifetime { get; }
    /// <summary>Where the key came from (<see cref="AccessTokenKey.Source"/>).</summary>
    public string KeySource { get; }

    public BlockAccessToken Issue(long blockId, DataRequestKind mode)
    {
        long expires = _time.GetUtcNow().ToUnixTimeMilliseconds() + (long)Lifetime.TotalMilliseconds;
        return new BlockAccessToken(expires, Mac(blockId, mode, expires));
    }

    /// <summary>True when the request's token is this silo's, unexpired, for its block and kind; else why not.</summary>
    public bool Check(in DataRequest request, out string refusal)
    {
        var token = request.Token;
        // Batched writes and their acknowledgements are writes: one write token covers them.
        var mode = request.Kind is DataRequestKind.Read or DataRequestKind.ReadConfirmed ? DataRequestKind.Read : DataRequestKind.Write;
        string what = mode == DataRequestKind.Write ? "write" : "read";
        if (token.IsNone)
            return Refuse($"{what} of block {request.BlockId} carries no access token: ask the block's grain for its location or write target", out refusal);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (token.ExpiresUnixMs <= now)
            return Refuse($"the access token for block {request.BlockId} expired {now - token.ExpiresUnixMs} ms ago", out refusal);
        if (!Matches(token.Mac, Mac(request.BlockId, mode, token.ExpiresUnixMs)))
            return Refuse($"the access token is not valid for a {what} of block {request.BlockId} on this worker " +
                          "(another block or mode, or issued before this worker restarted)", out refusal);
        refusal = "";
        return true;
    }

    private UInt128 Mac(long blockId, DataRequestKind mode, long expiresUnixMs)
    {
        Span<byte> message = stackalloc byte[MessageBytes];
        BinaryPrimitives.WriteInt64LittleEndian(message, blockId);
        message[8] = (byte)mode;
        BinaryPrimitives.WriteInt64LittleEndian(message[9..], expiresUnixMs);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, message, mac);
        return BinaryPrimitives.ReadUInt128LittleEndian(mac);
    }

    private static bool Matches(UInt128 presented, UInt128 expected)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(a, presented);
        BinaryPrimitives.WriteUInt128LittleEndian(b, expected);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    private static bool Refuse(string reason, out string refusal)
    {
        refusal = reason;
        return false;
    }
}
