using System.CommandLine;
using OrleansFs.Files;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs touch PATH...`: creates empty, completed files; the parent directory must exist.</summary>
internal sealed class TouchCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var paths = PathArguments.OneOrMore("files to create");
        var command = new Command("touch", "Create empty files") { paths };
        return command.WithAction(context, async (parse, ct) =>
        {
            context.CheckPaths(parse.GetValue(paths)!);
            var fs = await context.FileSystemAsync(parse, ct);
            foreach (string path in parse.GetValue(paths)!)
            {
                context.CurrentPath = path;
                await fs.CreateFileEntryAsync(path, new CreateFileOptions { Recursive = false }, ct);
                await fs.CompleteFileAsync(path, 0, ct);
                context.Out.WriteLine($"{path} has been created");
            }
        });
    }
}
