using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Tests.Master;

namespace OrleansFs.Tests.Listing;

/// <summary>Paged listings through the master's API: pages add up to the whole listing, and resume by name.</summary>
public sealed class ListingPageTests : IAsyncLifetime
{
    private TestMaster _m = null!;

    public async Task InitializeAsync() => _m = await TestMaster.StartAsync();
    public async Task DisposeAsync() => await _m.DisposeAsync();

    private Task File(string path) => _m.Service.CreateFile(path, new CreateFileOptions(), Guid.NewGuid());
    private Task Dir(string path) => _m.Service.CreateDirectory(path, recursive: true, Guid.NewGuid());
    private Task Delete(string path) => _m.Service.Delete(path, recursive: true, Guid.NewGuid());

    private ListingPage Page(string path, bool recursive, int limit, string? after = null) =>
        _m.Service.ListStatusPage(path, new ListingRequest { Recursive = recursive, Limit = limit, StartAfter = after });

    private List<string> AllPages(string path, bool recursive, int limit)
    {
        var paths = new List<string>();
        string? token = null;
        do
        {
            var page = Page(path, recursive, limit, token);
            Assert.InRange(page.Entries.Count, 1, limit);
            paths.AddRange(page.Entries.Select(s => s.Path));
            token = page.ContinuationToken;
        } while (token is not null);
        return paths;
    }

    private async Task Tree()
    {
        foreach (string dir in new[] { "/t/a/x", "/t/a/y/deep", "/t/b", "/t/c/empty" }) await Dir(dir);
        foreach (string file in new[] { "/t/0", "/t/a/1", "/t/a/x/2", "/t/a/y/3", "/t/a/y/deep/4", "/t/b/5", "/t/z" }) await File(file);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pages_of_every_size_add_up_to_the_whole_listing_in_order(bool recursive)
    {
        await Tree();
        var whole = _m.Service.ListStatus("/t", recursive).Select(s => s.Path).ToList();

        for (int limit = 1; limit <= whole.Count + 1; limit++)
            Assert.Equal(whole, AllPages("/t", recursive, limit));
    }

    [Fact]
    public async Task The_last_page_has_no_token_even_when_it_is_full()
    {
        foreach (string name in new[] { "a", "b", "c", "d" }) await File("/f/" + name);

        var first = Page("/f", false, 2);
        var last = Page("/f", false, 2, first.ContinuationToken);

        Assert.NotNull(first.ContinuationToken);
        Assert.Equal(["/f/c", "/f/d"], last.Entries.Select(s => s.Path));
        Assert.Null(last.ContinuationToken);
    }

    [Fact]
    public async Task A_listing_resumes_after_the_last_name_whatever_changed_meanwhile()
    {
        foreach (string name in new[] { "b", "d", "f", "h" }) await File("/s/" + name);
        var first = Page("/s", false, 2);
        Assert.Equal(["/s/b", "/s/d"], first.Entries.Select(s => s.Path));

        await Delete("/s/d");     // the token's own entry
        await File("/s/a");       // before it: not this listing's any more
        await File("/s/e");       // after it: listed
        await Delete("/s/f");     // after it, gone: not listed

        var rest = Page("/s", false, 10, first.ContinuationToken);
        Assert.Equal(["/s/e", "/s/h"], rest.Entries.Select(s => s.Path));
    }

    [Fact]
    public async Task A_recursive_listing_whose_last_directory_was_deleted_resumes_after_it()
    {
        await Tree();
        var whole = _m.Service.ListStatus("/t", recursive: true).Select(s => s.Path).ToList();
        int upTo = whole.IndexOf("/t/a/y") + 1;
        var first = Page("/t", true, upTo);
        Assert.Equal("/t/a/y", first.Entries[^1].Path);

        await Delete("/t/a");

        var rest = AllPages("/t", true, 100, first.ContinuationToken);
        Assert.Equal(whole.Where(p => !p.StartsWith("/t/a/", StringComparison.Ordinal) && p != "/t/a").Skip(1), rest);
    }

    private List<string> AllPages(string path, bool recursive, int limit, string? token)
    {
        var page = Page(path, recursive, limit, token);
        Assert.Null(page.ContinuationToken);
        return page.Entries.Select(s => s.Path).ToList();
    }

    [Fact]
    public async Task A_token_whose_directory_is_gone_says_to_start_again()
    {
        foreach (string name in new[] { "a", "b", "c" }) await File("/g/" + name);
        string token = Page("/g", false, 1).ContinuationToken!;

        await Delete("/g");
        var gone = Assert.Throws<FsException>(() => Page("/g", false, 1, token));
        await Dir("/g");
        var replaced = Assert.Throws<FsException>(() => Page("/g", false, 1, token));

        foreach (var error in new[] { gone, replaced })
        {
            Assert.Equal(FsErrorCode.NotFound, error.Code);
            Assert.Equal("/g", error.Path);
            Assert.Contains("start the listing again", error.Message);
        }
    }

    [Fact]
    public async Task A_renamed_directory_is_not_continued_at_its_new_path_by_an_old_token()
    {
        foreach (string name in new[] { "a", "b" }) await File("/r/" + name);
        string token = Page("/r", false, 1).ContinuationToken!;

        await _m.Service.Rename("/r", "/moved", Guid.NewGuid());

        Assert.Equal(FsErrorCode.NotFound, Assert.Throws<FsException>(() => Page("/r", false, 1, token)).Code);
        Assert.Equal(FsErrorCode.InvalidArgument, Assert.Throws<FsException>(() => Page("/moved", false, 1, token)).Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ListingRequest.MaxLimit + 1)]
    public void A_limit_out_of_range_is_refused(int limit)
    {
        var error = Assert.Throws<FsException>(() => Page("/", false, limit));

        Assert.Equal(FsErrorCode.InvalidArgument, error.Code);
        Assert.Contains($"1 to {ListingRequest.MaxLimit} entries, not {limit}", error.Message);
    }

    [Fact]
    public async Task A_file_lists_itself_and_an_empty_directory_lists_nothing()
    {
        await File("/only");
        await Dir("/empty");

        Assert.Equal(["/only"], Page("/only", false, 5).Entries.Select(s => s.Path));
        var empty = Page("/empty", true, 5);
        Assert.Empty(empty.Entries);
        Assert.Null(empty.ContinuationToken);
    }

    [Fact]
    public async Task A_page_says_which_journal_sequence_it_reflects()
    {
        await File("/seq");

        Assert.Equal(_m.Service.GetInfo().JournalSequence, Page("/", false, 5).JournalSequence);
    }
}
