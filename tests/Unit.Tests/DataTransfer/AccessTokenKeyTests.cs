using OrleansFs.Blocks.DataTransfer;
using OrleansFs.Grains.Blocks.DataEndpoint;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.DataTransfer;

/// <summary>
/// The access-token key: a key file is refused when missing, short or readable by others, and with one key file a
/// restarted silo (a new <see cref="BlockAccessTokens"/>) accepts the tokens issued before; random keys do not.
/// </summary>
public sealed class AccessTokenKeyTests : IDisposable
{
    private readonly TempDirectory _temp = new("ofs-token-key");

    public void Dispose() => _temp.Dispose();

    private string KeyFile(int bytes, string mode)
    {
        string path = _temp.Combine($"key-{bytes}-{mode}");
        File.WriteAllBytes(path, new byte[bytes].Select((_, i) => (byte)(i * 7 + 1)).ToArray());
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(mode, 8));
        return path;
    }

    [Fact]
    public void A_missing_short_or_shared_key_file_is_refused_naming_the_file_and_the_fix()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => AccessTokenKey.FromFile(_temp.Combine("nope")));
        var shortKey = Assert.Throws<InvalidOperationException>(() => AccessTokenKey.FromFile(KeyFile(16, "600")));
        var shared = Assert.Throws<InvalidOperationException>(() => AccessTokenKey.FromFile(KeyFile(32, "644")));

        Assert.Contains("does not exist", missing.Message);
        Assert.Contains("holds 16 bytes", shortKey.Message);
        Assert.Contains("chmod 600", shared.Message);
    }

    [Fact]
    public void With_a_key_file_tokens_outlive_a_restart_and_with_random_keys_they_do_not()
    {
        string path = KeyFile(32, "600");
        var request = new DataRequest(DataRequestKind.Read, 42, 0, 10);
        var before = new BlockAccessTokens(AccessTokenKey.Load(path), TimeSpan.FromMinutes(5));
        var after = new BlockAccessTokens(AccessTokenKey.Load(path), TimeSpan.FromMinutes(5));
        var randomBefore = new BlockAccessTokens(AccessTokenKey.Load(null), TimeSpan.FromMinutes(5));
        var randomAfter = new BlockAccessTokens(AccessTokenKey.Load(null), TimeSpan.FromMinutes(5));

        Assert.True(after.Check(request with { Token = before.Issue(42, DataRequestKind.Read) }, out string refusal), refusal);
        Assert.False(randomAfter.Check(request with { Token = randomBefore.Issue(42, DataRequestKind.Read) }, out _));
        Assert.Equal(path, after.KeySource);
    }
}
