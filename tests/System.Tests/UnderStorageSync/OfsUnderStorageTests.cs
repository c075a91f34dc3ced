using OrleansFs.TestSupport;

namespace OrleansFs.Tests.UnderStorageSync;

/// <summary>With `ofs` against a real silo: files dropped into the under-storage appear, rm and mv reach it, du shows what is in memory.</summary>
public sealed class OfsUnderStorageTests(UnderStorageSiloFixture fixture) : IClassFixture<UnderStorageSiloFixture>
{
    private OfsRunner Ofs => fixture.Ofs;

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private string LocalFile(string name, byte[] bytes)
    {
        string path = fixture.Local.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not within 15 s: {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Files_dropped_into_the_under_storage_show_in_ls_and_stat_and_cat_returns_their_bytes()
    {
        Directory.CreateDirectory(fixture.OnDisk("/dropped/sub"));
        await File.WriteAllTextAsync(fixture.OnDisk("/dropped/hello.txt"), "hello from outside\n");
        var bytes = Bytes(2_000_000, 1);
        await File.WriteAllBytesAsync(fixture.OnDisk("/dropped/sub/data.bin"), bytes);

        var ls = OfsAssert.Succeeded(await Ofs.RunAsync("ls", "-R", "/dropped"));
        var stat = OfsAssert.Succeeded(await Ofs.RunAsync("stat", "/dropped/sub/data.bin"));
        var cat = OfsAssert.Succeeded(await Ofs.RunAsync("cat", "/dropped/hello.txt"));
        string copy = fixture.Local.Combine("data.out");
        OfsAssert.Succeeded(await Ofs.RunAsync("copyToLocal", "/dropped/sub/data.bin", copy));

        Assert.Equal(["/dropped/hello.txt", "/dropped/sub", "/dropped/sub/data.bin"], OfsAssert.ListedPaths(ls));
        Assert.Contains(ls.StdoutLines, l => l.EndsWith("/dropped/hello.txt") && l.Contains(" 19 ") && l.Contains("PERSISTED"));
        Assert.Contains("length=2000000,", stat.StdoutLines[1]);
        Assert.Equal("hello from outside\n", cat.Stdout);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(copy));
    }

    [Fact]
    public async Task Rm_and_mv_carry_over_to_the_under_storage_directory()
    {
        var one = Bytes(300_000, 2);
        OfsAssert.Succeeded(await Ofs.RunAsync("copyFromLocal", LocalFile("one", one), "/moving/dir/one", "--write-type", "CACHE_THROUGH"));
        OfsAssert.Succeeded(await Ofs.RunAsync("copyFromLocal", LocalFile("two", Bytes(10, 3)), "/moving/two", "--write-type", "CACHE_THROUGH"));
        Assert.True(File.Exists(fixture.OnDisk("/moving/dir/one")));

        OfsAssert.Succeeded(await Ofs.RunAsync("mv", "/moving/dir", "/moving/renamed"));
        OfsAssert.Succeeded(await Ofs.RunAsync("rm", "/moving/two"));

        await EventuallyAsync(() => File.Exists(fixture.OnDisk("/moving/renamed/one")), "mv reached the under-storage");
        await EventuallyAsync(() => !File.Exists(fixture.OnDisk("/moving/two")), "rm reached the under-storage");
        Assert.False(Directory.Exists(fixture.OnDisk("/moving/dir")));
        Assert.Equal(one, await File.ReadAllBytesAsync(fixture.OnDisk("/moving/renamed/one")));
        var ls = OfsAssert.Succeeded(await Ofs.RunAsync("ls", "-R", "/moving"));
        Assert.Equal(["/moving/renamed", "/moving/renamed/one"], OfsAssert.ListedPaths(ls));
    }

    [Fact]
    public async Task Du_shows_how_much_of_each_file_is_in_memory()
    {
        OfsAssert.Succeeded(await Ofs.RunAsync("copyFromLocal", LocalFile("cached", Bytes(3 << 20, 4)), "/du/cached",
            "--write-type", "CACHE_THROUGH", "--block-size", (1 << 20).ToString()));
        OfsAssert.Succeeded(await Ofs.RunAsync("copyFromLocal", LocalFile("freed", Bytes(2 << 20, 5)), "/du/freed",
            "--write-type", "CACHE_THROUGH", "--block-size", (1 << 20).ToString()));
        OfsAssert.Succeeded(await Ofs.RunAsync("free", "/du/freed"));

        var du = OfsAssert.Succeeded(await Ofs.RunAsync("du", "/du"));
        var total = OfsAssert.Succeeded(await Ofs.RunAsync("du", "-s", "-h", "/du"));

        Assert.Equal(["Size", "In", "Memory", "Path"], du.StdoutLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["3145728 3145728 (100%) /du/cached", "2097152 0 (0%) /du/freed"], du.StdoutLines.Skip(1).Select(Squeeze));
        Assert.Equal("5MB 3MB (60%) /du", Squeeze(total.StdoutLines[1]));
    }

    private static string Squeeze(string line) => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
