using OrleansFs.Client;
using OrleansFs.Files;

namespace OrleansFs.Bench;

/// <summary>Durable creates (journaled and fsynced before the answer) and getStatus through the typed client.</summary>
internal sealed class MetadataCases(IFileSystem fs, TimeSpan duration)
{
    private static readonly CreateFileOptions Create = new() { Recursive = false };

    public async Task<LatencySummary> CreatesAsync(int callers)
    {
        string root = await PrepareAsync(callers);
        await ClosedLoop.RunAsync(callers, TimeSpan.FromSeconds(1), (c, i) => fs.CreateFileEntryAsync($"{root}/c{c}/warm{i}", Create));
        return await ClosedLoop.RunAsync(callers, duration, (c, i) => fs.CreateFileEntryAsync($"{root}/c{c}/f{i}", Create));
    }

    public async Task<LatencySummary> GetStatusAsync(int callers)
    {
        string root = await PrepareAsync(callers);
        for (int c = 0; c < callers; c++) await fs.CreateFileEntryAsync($"{root}/c{c}/target", Create);
        await ClosedLoop.RunAsync(callers, TimeSpan.FromSeconds(1), (c, _) => fs.GetStatusAsync($"{root}/c{c}/target"));
        return await ClosedLoop.RunAsync(callers, duration, (c, _) => fs.GetStatusAsync($"{root}/c{c}/target"));
    }

    private async Task<string> PrepareAsync(int callers)
    {
        string root = $"/bench/{Guid.NewGuid():N}";
        for (int c = 0; c < callers; c++) await fs.CreateDirectoryAsync($"{root}/c{c}", recursive: true);
        return root;
    }
}
