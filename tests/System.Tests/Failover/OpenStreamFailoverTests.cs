using OrleansFs.Client;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Failover;

/// <summary>
/// Streams open while the master's silo is SIGKILLed. A write either completes with every byte, or fails with
/// a clear <see cref="FsException"/> and leaves no complete file behind; never a short or damaged file reported
/// as complete. A read carries on at its offset and returns the file's exact bytes.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class OpenStreamFailoverTests(FailoverClusterFixture fixture, ITestOutputHelper output)
{
    private const int BlockSize = 1024 * 1024;
    private IFileSystem Fs => fixture.Client.FileSystem;

    [Fact]
    public async Task AWriteStreamOpenAcrossTheMastersSiloKillCompletesWithEveryByteOrFailsClearly()
    {
        string path = $"/open-write-{Guid.NewGuid():N}.bin";
        byte[] data = RandomBytes(5 * BlockSize + 4321);
        int half = 2 * BlockSize + 777;
        var victim = await MasterSiloAsync();

        Exception? failure = null;
        try
        {
            await using var stream = await fixture.Client.Data.CreateFileAsync(path, new CreateFileOptions
            {
                WriteType = WriteType.CacheThrough,
                BlockSizeBytes = BlockSize,
            });
            await stream.WriteAsync(data.AsMemory(0, half));
            victim.Kill();
            output.WriteLine($"SIGKILL of the master's silo {victim.SiloAddress} with {half} of {data.Length} bytes written");
            await stream.WriteAsync(data.AsMemory(half));
        }
        catch (Exception e)
        {
            failure = e;
        }

        try
        {
            if (failure is null)
            {
                output.WriteLine("the write completed: checking every byte");
                var status = await Fs.GetStatusAsync(path);
                Assert.True(status.Completed);
                Assert.Equal(data.Length, status.Length);
                Assert.Equal(data, await ReadAllAsync(path));
            }
            else
            {
                output.WriteLine($"the write failed: {failure.GetType().Name}: {failure.Message}");
                var clear = Assert.IsType<FsException>(failure);
                Assert.Contains(path, clear.Message);
                // Whatever is left must not pass for the file: absent, or visibly not completed.
                var left = await TryGetStatusAsync(path);
                Assert.True(left is null || !left.Completed, $"a failed write left a completed file of {left?.Length} bytes");
            }
        }
        finally
        {
            await RestartAsync(victim);
        }
    }

    [Fact]
    public async Task AReadStreamOpenAcrossTheMastersSiloKillResumesAtItsOffsetWithTheExactBytes()
    {
        string path = $"/open-read-{Guid.NewGuid():N}.bin";
        byte[] data = RandomBytes(5 * BlockSize + 1234);
        await using (var writer = await fixture.Client.Data.CreateFileAsync(path, new CreateFileOptions
        {
            WriteType = WriteType.CacheThrough,
            BlockSizeBytes = BlockSize,
        }))
        {
            await writer.WriteAsync(data);
        }
        var victim = await MasterSiloAsync();
        try
        {
            await using var stream = await fixture.Client.Data.OpenFileAsync(path);
            var read = new byte[data.Length];
            int first = 2 * BlockSize + 99;
            await stream.ReadExactlyAsync(read.AsMemory(0, first));
            victim.Kill();
            output.WriteLine($"SIGKILL of the master's silo {victim.SiloAddress} after reading {first} bytes");
            Assert.Equal(first, stream.Position);
            await stream.ReadExactlyAsync(read.AsMemory(first));
            Assert.Equal(0, await stream.ReadAsync(new byte[16]));
            Assert.Equal(data, read);
        }
        finally
        {
            await RestartAsync(victim);
        }
    }

    private async Task<SiloProcess> MasterSiloAsync() =>
        fixture.Cluster.SiloAt((await Fs.GetMasterInfoAsync()).SiloAddress);

    private async Task<FileStatus?> TryGetStatusAsync(string path)
    {
        try
        {
            return await Fs.GetStatusAsync(path);
        }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound)
        {
            return null;
        }
    }

    private async Task<byte[]> ReadAllAsync(string path)
    {
        await using var stream = await fixture.Client.Data.OpenFileAsync(path);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task RestartAsync(SiloProcess silo)
    {
        if (silo.IsRunning) return;
        await silo.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!(await Fs.GetClusterMembersAsync()).Any(m => m.Address == silo.SiloAddress && m.Status == "Active"))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{silo.SiloAddress} did not rejoin");
            await Task.Delay(250);
        }
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
