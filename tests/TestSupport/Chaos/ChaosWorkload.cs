using System.Collections.Concurrent;
using OrleansFs.Client;
using OrleansFs.Client.Streams;
using OrleansFs.Errors;
using OrleansFs.Files;

namespace OrleansFs.TestSupport.Chaos;

/// <summary>
/// Workers that create, write (CACHE_THROUGH), rename and delete under their own directory, each on keys used
/// once and in order, recording every outcome in <see cref="Ledger"/>. Shared by the chaos test (short form)
/// and bench/Chaos.Bench (long form).
/// </summary>
public sealed class ChaosWorkload(IFileSystem fs, FileDataClient data, string root, int workers, int writeEvery = 4)
{
    public const int BlockSize = 256 * 1024;
    public ConcurrentBag<ChaosOperation> Ledger { get; } = new();
    public string Root => root;

    public async Task RunAsync(CancellationToken stop)
    {
        await fs.CreateDirectoryAsync(root, recursive: true);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => RunWorkerAsync($"{root}/w{w}", stop))));
    }

    /// <summary>The bytes a write of <paramref name="path"/> carries: derived from the path, so the check needs no copy.</summary>
    public static byte[] ContentOf(string path, int length)
    {
        var bytes = new byte[length];
        new Random(StringComparer.Ordinal.GetHashCode(path) ^ length).NextBytes(bytes);
        return bytes;
    }

    private async Task RunWorkerAsync(string dir, CancellationToken stop)
    {
        await Retry(() => fs.CreateDirectoryAsync(dir, recursive: true));
        for (int k = 0; !stop.IsCancellationRequested; k++)
        {
            if (writeEvery > 0 && k % writeEvery == 0)
            {
                string file = $"{dir}/d{k:D5}";
                int length = BlockSize + 1000 + k % 7 * 4096;
                await RecordAsync(new ChaosOperation(ChaosOp.Write, file, null) { DataLength = length }, () => WriteAsync(file, length));
                continue;
            }
            string created = $"{dir}/n{k:D5}";
            if (!await RecordAsync(new ChaosOperation(ChaosOp.Create, created, null), () => fs.CreateFileEntryAsync(created))) continue;
            if (k % 3 == 1)
            {
                string renamed = $"{dir}/r{k:D5}";
                await RecordAsync(new ChaosOperation(ChaosOp.Rename, created, renamed), () => fs.RenameAsync(created, renamed));
            }
            else if (k % 3 == 2)
            {
                await RecordAsync(new ChaosOperation(ChaosOp.Delete, created, null), () => fs.DeleteAsync(created));
            }
        }
    }

    private async Task WriteAsync(string path, int length)
    {
        await using var stream = await data.CreateFileAsync(path, new CreateFileOptions { WriteType = WriteType.CacheThrough, BlockSizeBytes = BlockSize });
        await stream.WriteAsync(ContentOf(path, length));
    }

    /// <summary>Runs one operation and records what its caller saw; true when it was acknowledged.</summary>
    private async Task<bool> RecordAsync(ChaosOperation operation, Func<Task> call)
    {
        try
        {
            await call();
            Ledger.Add(operation with { Acknowledged = true });
            return true;
        }
        catch (FsException e) when (operation.Op != ChaosOp.Write && e.Code is FsErrorCode.AlreadyExists or FsErrorCode.NotFound)
        {
            Ledger.Add(operation with { Doubled = true, Error = e.Message });
            return false;
        }
        catch (Exception e)
        {
            Ledger.Add(operation with { Error = $"{e.GetType().Name}: {e.Message}" });
            return false;
        }
    }

    private static async Task Retry(Func<Task> call)
    {
        for (int attempt = 1; ; attempt++)
        {
            try { await call(); return; }
            catch (FsException) when (attempt < 5) { await Task.Delay(500); }
        }
    }
}
