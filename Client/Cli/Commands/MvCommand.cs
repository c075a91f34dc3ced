using System.CommandLine;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs mv SRC DST`: an atomic rename of a file or a directory.</summary>
internal sealed class MvCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var source = PathArguments.One("source", "the file or directory to move");
        var destination = PathArguments.One("destination", "its new path");
        var command = new Command("mv", "Rename a file or directory") { source, destination };
        return command.WithAction(context, async (parse, ct) =>
        {
            string from = parse.GetValue(source)!, to = parse.GetValue(destination)!;
            context.CheckPaths(from, to);
            context.CurrentPath = from;
            var fs = await context.FileSystemAsync(parse, ct);
            await fs.RenameAsync(from, to, ct);
            context.Out.WriteLine($"Renamed {from} to {to}");
        });
    }
}
