using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansFs.Errors;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.Paths;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.UnderStorage;

public sealed class DirectoryUnderStorageTests : IDisposable
{
    private readonly TempDirectory _temp = new("ofs-ufs");
    private readonly string _root;
    private readonly string _outside;
    private readonly DirectoryUnderStorage _ufs;

    public DirectoryUnderStorageTests()
    {
        _root = _temp.Combine("root");
        _outside = _temp.Combine("outside");
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Join(_outside, "secret"), "secret");
        _ufs = new DirectoryUnderStorage(Options.Create(new UnderStorageOptions { Directory = _root }),
            NullLogger<DirectoryUnderStorage>.Instance);
    }

    public void Dispose() => _temp.Dispose();

    private async Task WriteAsync(string path, byte[] bytes)
    {
        await using var writer = await _ufs.CreateAsync(FsPath.Parse(path));
        await writer.WriteAsync(0, bytes);
        await writer.CommitAsync();
    }

    [Fact]
    public async Task A_committed_file_sits_at_the_same_path_under_the_root()
    {
        await WriteAsync("/a/b/file.bin", [1, 2, 3]);

        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Join(_root, "a/b/file.bin")));
        Assert.Equal(3, (await _ufs.GetEntryAsync(FsPath.Parse("/a/b/file.bin")))!.Length);
    }

    [Fact]
    public async Task An_uncommitted_writer_leaves_nothing_behind()
    {
        await using (var writer = await _ufs.CreateAsync(FsPath.Parse("/half")))
            await writer.WriteAsync(0, new byte[100]);

        Assert.Empty(Directory.GetFileSystemEntries(_root));
        Assert.Null(await _ufs.GetEntryAsync(FsPath.Parse("/half")));
    }

    [Fact]
    public async Task A_writer_in_progress_is_not_listed()
    {
        await using var writer = await _ufs.CreateAsync(FsPath.Parse("/d/x"));
        await writer.WriteAsync(0, new byte[10]);

        Assert.Empty(await _ufs.ListAsync(FsPath.Parse("/d")));
    }

    [Fact]
    public async Task OpenRead_starts_at_the_offset()
    {
        await WriteAsync("/f", [10, 11, 12, 13]);

        await using var stream = await _ufs.OpenReadAsync(FsPath.Parse("/f"), 2);
        var buffer = new byte[10];
        int read = await stream.ReadAsync(buffer);

        Assert.Equal([12, 13], buffer[..read]);
    }

    [Fact]
    public async Task Rename_and_delete_carry_over_to_files_and_directories()
    {
        await WriteAsync("/dir/one", [1]);
        await WriteAsync("/dir/two", [2]);

        Assert.True(await _ufs.RenameAsync(FsPath.Parse("/dir"), FsPath.Parse("/moved/dir")));
        Assert.Equal(["/moved/dir/one", "/moved/dir/two"], (await _ufs.ListAsync(FsPath.Parse("/moved/dir"))).Select(e => e.Path.Value));
        Assert.True(await _ufs.DeleteAsync(FsPath.Parse("/moved")));
        Assert.False(await _ufs.DeleteAsync(FsPath.Parse("/moved")));
        Assert.Empty(await _ufs.ListAsync(FsPath.Root));
    }

    [Fact]
    public async Task Renaming_a_directory_into_itself_is_refused()
    {
        await _ufs.CreateDirectoryAsync(FsPath.Parse("/d"));

        var error = await Assert.ThrowsAsync<FsException>(() => _ufs.RenameAsync(FsPath.Parse("/d"), FsPath.Parse("/d/e")));

        Assert.Equal(FsErrorCode.InvalidPath, error.Code);
        Assert.True(Directory.Exists(Path.Join(_root, "d")));
    }

    [Fact]
    public async Task A_symlinked_directory_pointing_outside_is_refused_for_every_operation()
    {
        File.CreateSymbolicLink(Path.Join(_root, "escape"), _outside);
        var inside = FsPath.Parse("/escape/secret");

        Assert.Equal(FsErrorCode.PermissionDenied, (await Assert.ThrowsAsync<FsException>(() => _ufs.OpenReadAsync(inside, 0))).Code);
        Assert.Equal(FsErrorCode.PermissionDenied, (await Assert.ThrowsAsync<FsException>(() => _ufs.CreateAsync(FsPath.Parse("/escape/new")))).Code);
        Assert.Equal(FsErrorCode.PermissionDenied, (await Assert.ThrowsAsync<FsException>(() => _ufs.DeleteAsync(inside))).Code);
        Assert.Equal(FsErrorCode.PermissionDenied, (await Assert.ThrowsAsync<FsException>(() => _ufs.ListAsync(FsPath.Parse("/escape")))).Code);
        Assert.Equal(FsErrorCode.PermissionDenied,
            (await Assert.ThrowsAsync<FsException>(() => _ufs.RenameAsync(inside, FsPath.Parse("/stolen")))).Code);
        Assert.True(File.Exists(Path.Join(_outside, "secret")));
        Assert.False(File.Exists(Path.Join(_outside, "new")));
    }

    [Fact]
    public async Task A_symlinked_file_pointing_outside_cannot_be_read_or_overwritten()
    {
        File.CreateSymbolicLink(Path.Join(_root, "link"), Path.Join(_outside, "secret"));

        await Assert.ThrowsAsync<FsException>(() => _ufs.OpenReadAsync(FsPath.Parse("/link"), 0));
        await Assert.ThrowsAsync<FsException>(() => WriteAsync("/link", [9]));
        Assert.Equal("secret", File.ReadAllText(Path.Join(_outside, "secret")));
    }

    [Fact]
    public async Task A_dangling_symlink_is_refused_so_a_write_cannot_create_its_target()
    {
        File.CreateSymbolicLink(Path.Join(_root, "dangling"), Path.Join(_outside, "created-by-link"));

        await Assert.ThrowsAsync<FsException>(() => _ufs.CreateAsync(FsPath.Parse("/dangling")));
        Assert.False(File.Exists(Path.Join(_outside, "created-by-link")));
    }

    [Fact]
    public async Task A_symlink_that_stays_inside_the_root_is_followed()
    {
        await WriteAsync("/real/data", [7]);
        File.CreateSymbolicLink(Path.Join(_root, "alias"), Path.Join(_root, "real"));

        await using var stream = await _ufs.OpenReadAsync(FsPath.Parse("/alias/data"), 0);
        var buffer = new byte[2];

        Assert.Equal(1, await stream.ReadAsync(buffer));
        Assert.Equal(7, buffer[0]);
    }

    [Fact]
    public async Task Listing_hides_links_leading_outside_and_names_OrleansFs_cannot_represent()
    {
        File.CreateSymbolicLink(Path.Join(_root, "escape"), _outside);
        File.WriteAllText(Path.Join(_root, "bad\u0001name"), "x");
        File.WriteAllText(Path.Join(_root, "good"), "x");

        Assert.Equal(["/good"], (await _ufs.ListAsync(FsPath.Root)).Select(e => e.Path.Value));
    }

    [Theory]
    [InlineData("/../etc/passwd")]
    [InlineData("/a/../../etc")]
    [InlineData("relative")]
    [InlineData("/a//b")]
    [InlineData("/a/\0b")]
    public async Task Odd_paths_never_reach_the_under_storage(string path)
    {
        await Assert.ThrowsAsync<FsException>(() => _ufs.CreateAsync(FsPath.Parse(path)));
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public async Task The_root_itself_cannot_be_deleted_or_written_as_a_file()
    {
        await Assert.ThrowsAsync<FsException>(() => _ufs.DeleteAsync(FsPath.Root));
        await Assert.ThrowsAsync<FsException>(() => _ufs.CreateAsync(FsPath.Root));
        Assert.True(Directory.Exists(_root));
    }

    [Fact]
    public async Task Negative_offsets_are_refused()
    {
        var error = await Assert.ThrowsAsync<FsException>(() => _ufs.OpenReadAsync(FsPath.Parse("/f"), -1));
        Assert.Equal(FsErrorCode.InvalidArgument, error.Code);
    }
}
