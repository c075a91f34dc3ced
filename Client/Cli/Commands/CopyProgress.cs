using Spectre.Console;

namespace OrleansFs.Cli.Commands;

/// <summary>Copies a stream, showing a progress bar (on standard error) for files of 16 MiB and more.</summary>
internal static class CopyProgress
{
    private const long ShowFromBytes = 16L << 20;
    private const int BufferBytes = 1 << 20;

    public static async Task CopyAsync(Stream source, Stream target, long length, string label, CancellationToken ct)
    {
        if (length < ShowFromBytes)
        {
            await source.CopyToAsync(target, BufferBytes, ct);
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive)
        {
            await CopyWithPlainProgressAsync(source, target, length, label, ct);
            return;
        }
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(label, maxValue: length);
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferBytes);
                try
                {
                    int n;
                    while ((n = await source.ReadAsync(buffer.AsMemory(0, BufferBytes), ct)) > 0)
                    {
                        await target.WriteAsync(buffer.AsMemory(0, n), ct);
                        task.Increment(n);
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            });
    }

    /// <summary>Standard error is not a terminal (a pipe, a log): one line per 10% instead of a live bar.</summary>
    private static async Task CopyWithPlainProgressAsync(Stream source, Stream target, long length, string label, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            long done = 0;
            int reported = 0;
            int n;
            while ((n = await source.ReadAsync(buffer.AsMemory(0, BufferBytes), ct)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, n), ct);
                done += n;
                int percent = (int)(done * 100 / length);
                if (percent / 10 <= reported / 10) continue;
                reported = percent;
                Console.Error.WriteLine($"{label}: {percent}% ({done >> 20} of {length >> 20} MiB)");
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
