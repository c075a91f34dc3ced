using OrleansFs.Client;
using OrleansFs.Client.Streams;
using OrleansFs.Errors;
using OrleansFs.Files;

namespace OrleansFs.Cli.Output;

/// <summary>
/// What a lineage's file is now, as `ofs lineage show` names it: deleted, not written yet, persisted, in memory, or
/// lost (written, never persisted, and its blocks are gone from the workers).
/// </summary>
internal sealed class LineageFileStates(IFileSystem fs, FileDataClient data)
{
    public async Task<string> DescribeAsync(string path, long? fileId, CancellationToken cancellationToken)
    {
        if (fileId is null) return "deleted";
        FileStatus status;
        try
        {
            status = await fs.GetStatusAsync(path, cancellationToken);
        }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound)
        {
            return "deleted";
        }
        if (!status.Completed) return "not written yet";
        var (bytes, inMemory) = await data.GetUsageAsync(path, cancellationToken);
        string memory = inMemory >= bytes ? "in memory" : inMemory == 0 ? "not in memory" : "partly in memory";
        return status.PersistenceState switch
        {
            PersistenceState.Persisted => $"persisted, {memory}",
            PersistenceState.Lost => "lost",
            _ when inMemory < bytes => $"lost ({memory}, never persisted)",
            _ => "in memory",
        };
    }
}
