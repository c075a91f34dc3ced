using OrleansFs.Client.Streams;
using OrleansFs.Errors;
using OrleansFs.Files;

namespace OrleansFs.Tests.UnderStorageSync;

/// <summary>Files written straight into the under-storage directory appear in the namespace and read back.</summary>
public sealed class MetadataSyncTests(UnderStorageClusterFixture fixture) : IClassFixture<UnderStorageClusterFixture>
{
    private static int _next;

    private static string NewDir() => $"/sync/{Interlocked.Increment(ref _next)}";

    private string Drop(string path, byte[] bytes)
    {
        string local = fixture.OnDisk(path);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        File.WriteAllBytes(local, bytes);
        return local;
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task<byte[]> ReadAsync(string path)
    {
        await using var stream = await fixture.Files.OpenFileAsync(path);
        var result = new MemoryStream();
        await stream.CopyToAsync(result);
        return result.ToArray();
    }

    [Fact]
    public async Task Listing_a_directory_shows_files_and_directories_dropped_into_the_under_storage_and_they_read_back()
    {
        string dir = NewDir();
        await fixture.Master.CreateDirectory(dir, true, Guid.NewGuid());
        var big = Bytes(3 * 1024 * 1024 + 11, 1);
        var small = Bytes(5, 2);
        Drop($"{dir}/dropped.bin", big);
        Drop($"{dir}/sub/inner.txt", small);

        var listing = await fixture.Master.ListStatus(dir, false);

        Assert.Equal([$"{dir}/dropped.bin", $"{dir}/sub"], listing.Select(s => s.Path));
        var file = listing[0];
        Assert.False(file.IsDirectory);
        Assert.True(file.Completed);
        Assert.Equal(big.Length, file.Length);
        Assert.Equal(PersistenceState.Persisted, file.PersistenceState);
        Assert.Equal(CreateFileOptions.DefaultBlockSizeBytes, file.BlockSizeBytes);
        Assert.True(listing[1].IsDirectory);
        Assert.Equal(big, await ReadAsync($"{dir}/dropped.bin"));
        Assert.Equal([$"{dir}/sub/inner.txt"], (await fixture.Master.ListStatus($"{dir}/sub", false)).Select(s => s.Path));
        Assert.Equal(small, await ReadAsync($"{dir}/sub/inner.txt"));
    }

    [Fact]
    public async Task Get_status_of_a_dropped_path_the_namespace_never_listed_brings_it_and_its_parents_in()
    {
        string dir = NewDir();
        var bytes = Bytes(1000, 3);
        Drop($"{dir}/a/b/file", bytes);

        var status = await fixture.Master.GetStatus($"{dir}/a/b/file");

        Assert.Equal((bytes.Length, PersistenceState.Persisted), (status.Length, status.PersistenceState));
        Assert.True((await fixture.Master.GetStatus($"{dir}/a/b")).IsDirectory);
        Assert.Equal(bytes, await ReadAsync($"{dir}/a/b/file"));
        var missing = await Assert.ThrowsAsync<FsException>(() => fixture.Master.GetStatus($"{dir}/a/b/nothing"));
        Assert.Equal(FsErrorCode.NotFound, missing.Code);
    }

    [Fact]
    public async Task A_recursive_listing_syncs_every_directory_below()
    {
        string dir = NewDir();
        await fixture.Master.CreateDirectory(dir, true, Guid.NewGuid());
        Drop($"{dir}/x/y/z/deep", Bytes(7, 4));
        Drop($"{dir}/top", Bytes(8, 5));

        var listing = await fixture.Master.ListStatus(dir, true);

        Assert.Equal([$"{dir}/top", $"{dir}/x", $"{dir}/x/y", $"{dir}/x/y/z", $"{dir}/x/y/z/deep"],
            listing.Select(s => s.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Odd_names_and_symlinks_leading_outside_the_root_are_never_imported()
    {
        string dir = NewDir();
        await fixture.Master.CreateDirectory(dir, true, Guid.NewGuid());
        Drop($"{dir}/good", Bytes(3, 6));
        string local = fixture.OnDisk(dir);
        File.WriteAllBytes(Path.Join(local, "bad\nname"), [1]);
        string outside = Path.Join(Path.GetTempPath(), $"ofs-outside-{Guid.NewGuid():N}");
        File.WriteAllText(outside, "secret");
        try
        {
            File.CreateSymbolicLink(Path.Join(local, "escape"), outside);
            Directory.CreateSymbolicLink(Path.Join(local, "escape-dir"), Path.GetTempPath());
            File.CreateSymbolicLink(Path.Join(local, "inside-link"), Path.Join(local, "good"));

            var listing = await fixture.Master.ListStatus(dir, false);

            Assert.Equal([$"{dir}/good", $"{dir}/inside-link"], listing.Select(s => s.Path));
            var escape = await Assert.ThrowsAsync<FsException>(() => fixture.Master.GetStatus($"{dir}/escape"));
            Assert.Equal(FsErrorCode.NotFound, escape.Code);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task What_the_namespace_has_wins_and_a_deleted_file_whose_copy_is_still_there_does_not_come_back()
    {
        string dir = NewDir();
        await using (var stream = await fixture.Files.CreateFileAsync($"{dir}/mine",
                         new CreateFileOptions { WriteType = WriteType.MustCache, Recursive = true }))
            await stream.WriteAsync(Bytes(10, 7));
        Drop($"{dir}/mine", Bytes(99, 8));
        await using (var stream = await fixture.Files.CreateFileAsync($"{dir}/gone",
                         new CreateFileOptions { WriteType = WriteType.CacheThrough }))
            await stream.WriteAsync(Bytes(10, 9));

        fixture.Gate.Pause();
        try
        {
            await fixture.Master.Delete($"{dir}/gone", false, Guid.NewGuid());
            Assert.True(File.Exists(fixture.OnDisk($"{dir}/gone")));

            var listing = await fixture.Master.ListStatus(dir, false);

            var mine = Assert.Single(listing);
            Assert.Equal((10L, PersistenceState.NotPersisted), (mine.Length, mine.PersistenceState));
            await Assert.ThrowsAsync<FsException>(() => fixture.Master.GetStatus($"{dir}/gone"));
        }
        finally
        {
            fixture.Gate.Resume();
        }
        await Eventually.TrueAsync(() => !File.Exists(fixture.OnDisk($"{dir}/gone")), "the deleted file's copy removed");
        Assert.Single(await fixture.Master.ListStatus(dir, false));
    }
}
