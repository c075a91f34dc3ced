using OrleansFs.Client;
using OrleansFs.Client.FileSystem;
using OrleansFs.Files;

namespace OrleansFs.Bench;

/// <summary>
/// Durable creates (journaled and fsynced before the answer) and getStatus through the typed client. Callers are
/// spread over <paramref name="clients"/> (one per gateway in the 3-silo mode); with <c>fromMaster</c>, every
/// getStatus is a master read (what `Master:ReadsFromStandby=false` gives).
/// </summary>
internal sealed class MetadataCases(IReadOnlyList<IFileSystem> clients, TimeSpan duration, int siloPid = 0)
{
    private static readonly CreateFileOptions Create = new() { Recursive = false };
    private IFileSystem Fs => clients[0];

    /// <summary>The CPU the client and the silo spent over the last measured getStatus case (the silo's when one was given).</summary>
    public ProcessCpu LastCpu { get; private set; }

    public async Task<LatencySummary> CreatesAsync(int callers)
    {
        string root = await PrepareAsync(callers);
        await ClosedLoop.RunAsync(callers, TimeSpan.FromSeconds(1), (c, i) => Fs.CreateFileEntryAsync($"{root}/c{c}/warm{i}", Create));
        return await ClosedLoop.RunAsync(callers, duration, (c, i) => Fs.CreateFileEntryAsync($"{root}/c{c}/f{i}", Create));
    }

    public async Task<LatencySummary> GetStatusAsync(int callers, bool fromMaster)
    {
        string root = await PrepareAsync(callers);
        for (int c = 0; c < callers; c++) await Fs.CreateFileEntryAsync($"{root}/c{c}/target", Create);
        // Standbys catch up with the targets before anyone reads them.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await ClosedLoop.RunAsync(callers, TimeSpan.FromSeconds(1), (c, _) => GetStatus(c, $"{root}/c{c}/target", fromMaster));
        var before = ProcessCpu.Read(siloPid);
        var result = await ClosedLoop.RunAsync(callers, duration, (c, _) => GetStatus(c, $"{root}/c{c}/target", fromMaster));
        LastCpu = ProcessCpu.Read(siloPid) - before;
        return result;
    }

    private Task<FileStatus> GetStatus(int caller, string path, bool fromMaster)
    {
        var fs = clients[caller % clients.Count];
        if (!fromMaster) return fs.GetStatusAsync(path);
        using (MetadataReads.FromMaster()) return fs.GetStatusAsync(path);
    }

    private async Task<string> PrepareAsync(int callers)
    {
        string root = $"/bench/{Guid.NewGuid():N}";
        for (int c = 0; c < callers; c++) await Fs.CreateDirectoryAsync($"{root}/c{c}", recursive: true);
        return root;
    }
}
