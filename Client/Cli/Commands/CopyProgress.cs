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
}
