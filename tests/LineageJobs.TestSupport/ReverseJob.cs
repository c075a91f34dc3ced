using OrleansFs.Lineage;

namespace OrleansFs.LineageJobs;

/// <summary>Writes its first input's bytes in reverse order to its first output: deterministic, so a recompute matches.</summary>
public sealed class ReverseJob : ILineageJob
{
    public async Task RunAsync(LineageJobContext context, CancellationToken cancellationToken)
    {
        byte[] bytes;
        await using (var input = await context.Files.OpenReadAsync(context.Inputs[0], cancellationToken))
        {
            using var copy = new MemoryStream();
            await input.CopyToAsync(copy, cancellationToken);
            bytes = copy.ToArray();
        }
        Array.Reverse(bytes);
        await using var output = await context.Files.CreateAsync(context.Outputs[0], cancellationToken);
        await output.WriteAsync(bytes, cancellationToken);
    }
}
