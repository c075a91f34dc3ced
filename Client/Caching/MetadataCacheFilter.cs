using OrleansFs.Master;

namespace OrleansFs.Client.Caching;

/// <summary>
/// Drops from the <see cref="MetadataCache"/> what each of this client's calls to the master that change the namespace
/// may have made stale, whichever part of the client made it (<see cref="IFileSystem"/>, the file streams, lineage).
/// Every attempt drops, the failed ones too: a call that timed out may still have been applied.
/// </summary>
public sealed class MetadataCacheFilter(MetadataCache cache) : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType != typeof(IMasterGrain))
        {
            await context.Invoke();
            return;
        }
        try
        {
            await context.Invoke();
        }
        finally
        {
            Drop(cache, context.MethodName, context.Request.GetArgumentCount() > 0 ? context.Request.GetArgument(0) : null,
                context.Request.GetArgumentCount() > 1 ? context.Request.GetArgument(1) : null);
        }
    }

    /// <summary>What one master method, given its first two arguments, drops from the cache; reads drop nothing.</summary>
    public static void Drop(MetadataCache cache, string method, object? first, object? second)
    {
        switch (method)
        {
            case nameof(IMasterGrain.SetAttribute) when first is string path:
                // A recursive change (pin a tree) reaches everything below.
                Changed(cache, path, subtree: second is Files.SetAttributeOptions { Recursive: true });
                break;
            case nameof(IMasterGrain.CreateDirectory) or nameof(IMasterGrain.CreateFile) or nameof(IMasterGrain.CompleteFile)
                when first is string path:
                Changed(cache, path, subtree: false);
                break;
            case nameof(IMasterGrain.Delete) when first is string path:
                Changed(cache, path, subtree: true);
                break;
            case nameof(IMasterGrain.Rename) when first is string source && second is string destination:
                Changed(cache, source, subtree: true);
                Changed(cache, destination, subtree: true);
                break;
            case nameof(IMasterGrain.CreateLineage) or nameof(IMasterGrain.DeleteLineage) or nameof(IMasterGrain.RecordLineageRun):
                // Outputs are created, and a file's lineage shows in its status: more than one path may change.
                cache.Clear();
                break;
        }
    }

    // The client core sends normalized paths; a path the cache cannot place (a caller of the grain itself) drops everything.
    private static void Changed(MetadataCache cache, string path, bool subtree)
    {
        if (Paths.FsPath.TryParse(path, out var parsed)) cache.Changed(parsed.Value, subtree);
        else cache.Clear();
    }
}
