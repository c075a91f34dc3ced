using System.Text;
using OrleansFs.Errors;
using OrleansFs.Grains.Master.Listing;

namespace OrleansFs.Tests.Listing;

/// <summary>The continuation token: what it carries, and what it refuses with a clear error.</summary>
public sealed class ListingTokenTests
{
    [Theory]
    [InlineData(false, "/d/b|c")]
    [InlineData(true, "/d/x/ünï|cödé/z")]
    [InlineData(true, "/top")]
    public void A_token_round_trips(bool recursive, string lastPath)
    {
        var token = new ListingToken(recursive, 42, lastPath);

        Assert.True(ListingToken.TryParse(token.Encode(), out var parsed));

        Assert.Equal(token, parsed);
    }

    [Fact]
    public void Components_are_the_names_below_the_listed_directory()
    {
        Assert.Equal(["x", "y", "z"], new ListingToken(true, 1, "/d/x/y/z").Components("/d"));
        Assert.Equal(["top"], new ListingToken(false, 0, "/top").Components("/"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("MXxkfDF8")]          // 1|d|1| : no last path
    public void Garbage_is_not_a_token(string token) => Assert.False(ListingToken.TryParse(token, out _));

    [Theory]
    [InlineData("2|d|1|/a")]          // another version
    [InlineData("1|x|1|/a")]          // neither recursive nor flat
    [InlineData("1|d|-1|/a")]         // no such inode id
    [InlineData("1|d|1|a")]           // not absolute
    [InlineData("1|r|1|/a//b")]       // an empty name
    [InlineData("1|r|1|/")]           // the root is never an entry
    public void Well_encoded_nonsense_is_not_a_token(string text) =>
        Assert.False(ListingToken.TryParse(Base64Url(text), out _));

    [Fact]
    public void A_bad_token_is_invalid_argument_naming_the_listed_path()
    {
        var error = Assert.Throws<FsException>(() => ListingToken.Decode("garbage!", "/d", recursive: false));

        Assert.Equal(FsErrorCode.InvalidArgument, error.Code);
        Assert.Equal("/d", error.Path);
        Assert.Contains("not a listing continuation token", error.Message);
    }

    [Fact]
    public void A_token_of_a_recursive_listing_does_not_continue_a_flat_one()
    {
        string token = new ListingToken(true, 1, "/d/a").Encode();

        var error = Assert.Throws<FsException>(() => ListingToken.Decode(token, "/d", recursive: false));

        Assert.Equal(FsErrorCode.InvalidArgument, error.Code);
        Assert.Contains("recursive listing, not a non-recursive one", error.Message);
    }

    [Theory]
    [InlineData(false, "/other/a", "/d")]
    [InlineData(false, "/d/a/b", "/d")]   // a flat listing's entries are children, not grandchildren
    [InlineData(true, "/dd/a", "/d")]     // a prefix of the name is not the directory
    [InlineData(true, "/d", "/d")]        // the directory itself is never one of its entries
    public void A_token_of_another_directory_is_refused(bool recursive, string lastPath, string listed)
    {
        string token = new ListingToken(recursive, 1, lastPath).Encode();

        var error = Assert.Throws<FsException>(() => ListingToken.Decode(token, listed, recursive));

        Assert.Equal(FsErrorCode.InvalidArgument, error.Code);
        Assert.Contains("another directory", error.Message);
    }

    private static string Base64Url(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
