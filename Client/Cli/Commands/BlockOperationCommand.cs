using System.CommandLine;
using OrleansFs.Client.Streams;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs persist|free|load|pin|unpin PATH...`: one operation on cached data, per file or directory tree.</summary>
internal sealed class BlockOperationCommand(string name, string description, string done, Func<FileDataClient, string, CancellationToken, Task> operation)
    : IOfsCommand
{
    public static IOfsCommand[] All() =>
    [
        new BlockOperationCommand("persist", "Persist files to the under-storage now", "persisted", (d, p, ct) => d.PersistAsync(p, ct)),
        new BlockOperationCommand("free", "Drop persisted files from worker memory", "freed", (d, p, ct) => d.FreeAsync(p, ct)),
        new BlockOperationCommand("load", "Load files from the under-storage into worker memory", "loaded", (d, p, ct) => d.LoadAsync(p, ct)),
        new BlockOperationCommand("pin", "Keep files in memory: never evicted", "pinned", (d, p, ct) => d.SetPinnedAsync(p, true, ct)),
        new BlockOperationCommand("unpin", "Let files be evicted again", "unpinned", (d, p, ct) => d.SetPinnedAsync(p, false, ct)),
    ];

    public Command Build(OfsContext context)
    {
        var paths = PathArguments.OneOrMore("files or directories");
        var command = new Command(name, description) { paths };
        return command.WithAction(context, async (parse, ct) =>
        {
            context.CheckPaths(parse.GetValue(paths)!);
            var data = await context.DataAsync(parse, ct);
            foreach (string path in parse.GetValue(paths)!)
            {
                context.CurrentPath = path;
                await operation(data, path, ct);
                context.Out.WriteLine($"{path} {done}");
            }
        });
    }
}
