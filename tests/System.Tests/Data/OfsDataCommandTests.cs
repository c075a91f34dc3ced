using System.Security.Cryptography;
using System.Text;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Data;

/// <summary>A user moves files in and out of a real silo with `ofs` and manages where their bytes are.</summary>
public sealed class OfsDataCommandTests(DataSiloFixture fixture) : IClassFixture<DataSiloFixture>
{
    private OfsRunner Ofs => fixture.Ofs;

    private string LocalFile(string name, byte[] bytes)
    {
        string path = fixture.Local.Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static OfsResult Ok(OfsResult result)
    {
        Assert.True(result.ExitCode == 0, $"ofs failed: {result}");
        return result;
    }

    [Fact]
    public async Task A_large_file_copied_in_shows_progress_and_comes_back_byte_for_byte()
    {
        var bytes = Bytes(40 << 20, 1);
        string source = LocalFile("big.bin", bytes);

        var copy = Ok(await Ofs.RunAsync("copyFromLocal", source, "/data/big.bin", "--block-size", (16 << 20).ToString()));
        var checksum = Ok(await Ofs.RunAsync("checksum", "/data/big.bin"));
        string target = fixture.Local.Combine("big.out");
        Ok(await Ofs.RunAsync("copyToLocal", "/data/big.bin", target, "--read-type", "NO_CACHE"));

        Assert.Contains("/data/big.bin", copy.Stderr); // the progress bar names the file
        Assert.Contains("100%", copy.Stderr);
        Assert.Equal($"{Convert.ToHexStringLower(SHA256.HashData(bytes))}  /data/big.bin", checksum.StdoutLines[0]);
        Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(target)));
    }

    [Fact]
    public async Task Cat_head_and_tail_print_the_files_text()
    {
        string text = string.Join("\n", Enumerable.Range(0, 2000).Select(i => $"line {i}")) + "\n";
        string source = LocalFile("text.txt", Encoding.UTF8.GetBytes(text));
        Ok(await Ofs.RunAsync("copyFromLocal", source, "/data/text.txt", "--write-type", "CACHE_THROUGH"));

        Assert.Equal(text, Ok(await Ofs.RunAsync("cat", "/data/text.txt")).Stdout);
        Assert.Equal(text[..20], Ok(await Ofs.RunAsync("head", "-c", "20", "/data/text.txt")).Stdout);
        Assert.Equal(text[^15..], Ok(await Ofs.RunAsync("tail", "-c", "15", "/data/text.txt")).Stdout);
        Assert.Equal(text[..1024], Ok(await Ofs.RunAsync("head", "/data/text.txt")).Stdout);
    }

    [Fact]
    public async Task Persist_free_load_cycle_moves_bytes_between_memory_and_under_storage()
    {
        var bytes = Bytes(3 << 20, 2);
        string source = LocalFile("cycle.bin", bytes);
        Ok(await Ofs.RunAsync("copyFromLocal", source, "/data/cycle.bin", "--write-type", "MUST_CACHE", "--block-size", (1 << 20).ToString()));

        var refused = await Ofs.RunAsync("free", "/data/cycle.bin");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("ofs: free: /data/cycle.bin: file is not persisted", refused.Stderr);

        Ok(await Ofs.RunAsync("persist", "/data/cycle.bin"));
        Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(fixture.Silo.DataDirectory, "ufs", "data", "cycle.bin"))));
        Ok(await Ofs.RunAsync("free", "/data/cycle.bin"));
        var freed = Ok(await Ofs.RunAsync("location", "/data/cycle.bin"));
        Assert.Equal(3, freed.StdoutLines.Count(l => l.EndsWith("(under-storage only)")));

        Ok(await Ofs.RunAsync("load", "/data/cycle.bin"));
        var loaded = Ok(await Ofs.RunAsync("location", "/data/cycle.bin"));
        Assert.Equal(3, loaded.StdoutLines.Count(l => l.EndsWith("MEM")));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), Ok(await Ofs.RunAsync("checksum", "/data/cycle.bin")).StdoutLines[0][..64]);
    }

    [Fact]
    public async Task Directories_copy_in_and_out_whole()
    {
        LocalFile("tree/a.txt", Encoding.UTF8.GetBytes("a"));
        LocalFile("tree/sub/b.txt", Encoding.UTF8.GetBytes("bb"));

        Ok(await Ofs.RunAsync("copyFromLocal", fixture.Local.Combine("tree"), "/data/tree"));
        string back = fixture.Local.Combine("tree-back");
        Ok(await Ofs.RunAsync("copyToLocal", "/data/tree", back));

        Assert.Equal("a", File.ReadAllText(Path.Combine(back, "a.txt")));
        Assert.Equal("bb", File.ReadAllText(Path.Combine(back, "sub", "b.txt")));
    }

    [Fact]
    public async Task Bad_input_is_one_clear_line()
    {
        var missing = await Ofs.RunAsync("cat", "/data/nope");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.StartsWith("ofs: cat: /data/nope:", missing.StderrLines.Single());

        var badType = await Ofs.RunAsync("copyFromLocal", LocalFile("x", [1]), "/data/x", "--write-type", "SOMETIMES");
        Assert.NotEqual(0, badType.ExitCode);
        Assert.Contains("unknown write type 'SOMETIMES'", badType.StderrLines.Single());

        var badPath = await Ofs.RunAsync("checksum", "/data/../etc");
        Assert.NotEqual(0, badPath.ExitCode);
        Assert.Contains("'..'", badPath.StderrLines.Single());
    }
}
