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
                IReadOnlyList<FileStatus> all = root.IsDirectory ? await fs.ListStatusAsync(path, recursive: true, ct) : [];
                long files = root.IsDirectory ? all.Count(s => !s.IsDirectory) : 1;
                long folders = root.IsDirectory ? 1 + all.Count(s => s.IsDirectory) : 0;
                long bytes = root.IsDirectory ? all.Where(s => !s.IsDirectory).Sum(s => s.Length) : root.Length;
                context.Out.WriteLine($"{files,-25}{folders,-25}{bytes,-15}");
            }
        });
    }
}
