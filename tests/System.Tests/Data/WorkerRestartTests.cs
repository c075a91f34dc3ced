using System.Security.Cryptography;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Data;

/// <summary>A worker killed with SIGKILL and started again serves the blocks it left on its tmpfs.</summary>
public sealed class WorkerRestartTests : IAsyncLifetime
{
    private readonly string _memory = Path.Combine("/dev/shm", "ofs-test-" + Guid.NewGuid().ToString("N"));
    private readonly TempDirectory _local = new("ofs-restart-local");
    private SiloProcess _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await SiloProcess.StartAsync([$"--Worker:MemoryDirectory={_memory}", $"--Worker:MemoryBytes={1L << 30}"]);

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _local.Dispose();
        if (Directory.Exists(_memory)) Directory.Delete(_memory, recursive: true);
    }

    [Fact]
    public async Task A_restarted_worker_finds_its_MUST_CACHE_blocks_on_tmpfs()
    {
        var bytes = new byte[5 << 20];
        new Random(7).NextBytes(bytes);
        string source = Path.Combine(_local.Path, "f");
        File.WriteAllBytes(source, bytes);
        var ofs = new OfsRunner(_silo.Gateway);
        var copy = await ofs.RunAsync("copyFromLocal", source, "/restart/f", "--write-type", "MUST_CACHE", "--block-size", (2 << 20).ToString());
        Assert.True(copy.ExitCode == 0, copy.ToString());

        _silo.Kill();
        await _silo.StartProcessAsync();
        var checksum = await ofs.RunAsync("checksum", "/restart/f");

        Assert.True(checksum.ExitCode == 0, checksum.ToString());
        Assert.StartsWith(Convert.ToHexStringLower(SHA256.HashData(bytes)), checksum.Stdout);
    }
}
