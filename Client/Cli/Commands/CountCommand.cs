using System.CommandLine;
using OrleansFs.Files;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs count PATH...`: files, folders (the directory itself included) and bytes below a path.</summary>
internal sealed class CountCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var paths = PathArguments.OneOrMore("files or directories");
        var command = new Command("count", "Count files, folders and bytes") { paths };
        return command.WithAction(context, async (parse, ct) =>
        {
            context.CheckPaths(parse.GetValue(paths)!);
            var fs = await context.FileSystemAsync(parse, ct);
            context.Out.WriteLine($"{"File Count",-25}{"Folder Count",-25}{"Folder Size",-15}");
            foreach (string path in parse.GetValue(paths)!)
            {
                context.CurrentPath = path;
                var root = await fs.GetStatusAsync(path, ct);
                long files = root.IsDirectory ? 0 : 1, folders = root.IsDirectory ? 1 : 0, bytes = root.IsDirectory ? 0 : root.Length;
                // Counted page by page: a big tree is never held whole.
                if (root.IsDirectory)
                    await foreach (FileStatus s in fs.EnumerateStatusAsync(path, recursive: true, ct))
                    {
                        if (s.IsDirectory) folders++;
                        else (files, bytes) = (files + 1, bytes + s.Length);
                    }
                context.Out.WriteLine($"{files,-25}{folders,-25}{bytes,-15}");
            }
        });
    }
}
