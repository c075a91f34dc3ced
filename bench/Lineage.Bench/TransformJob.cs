using OrleansFs.Lineage;

namespace OrleansFs.Bench;

/// <summary>
/// The benchmark's in-process lineage job, loaded by the silos from this assembly (Lineage:JobAssemblies): reads
/// its one input and writes every byte XORed with 0x5A to its one output, 1 MiB at a time. Deterministic, and
/// cheap, so a run is mostly the file system's reads and writes.
/// </summary>
public sealed class TransformJob : ILineageJob
{
    public const int ChunkBytes = 1 << 20;

    public async Task RunAsync(LineageJobContext context, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkBytes];
        await using var input = await context.Files.OpenReadAsync(context.Inputs[0], cancellationToken);
        await using var output = await context.Files.CreateAsync(context.Outputs[0], cancellationToken);
        int read;
        while ((read = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
        {
            Transform(buffer.AsSpan(0, read));
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    public static void Transform(Span<byte> bytes)
    {
        foreach (ref byte b in bytes) b ^= 0x5A;
    }
}
