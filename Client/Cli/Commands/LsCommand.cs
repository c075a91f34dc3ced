using System.CommandLine;
using OrleansFs.Cli.Output;
using OrleansFs.Files;

namespace OrleansFs.Cli.Commands;

/// <summary>
/// `ofs ls [-R] PATH...`: a directory's entries (all below it with -R), or a file itself. Streamed: each page is
/// printed as it arrives, already in tree order (the master lists depth-first in name order).
/// </summary>
internal sealed class LsCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var recursive = new Option<bool>("-R", "--recursive") { Description = "list everything below the directory" };
        var paths = PathArguments.OneOrMore("files or directories to list");
        var command = new Command("ls", "List files and directories") { recursive, paths };
        return command.WithAction(context, async (parse, ct) =>
        {
            context.CheckPaths(parse.GetValue(paths)!);
            var fs = await context.FileSystemAsync(parse, ct);
            foreach (string path in parse.GetValue(paths)!)
            {
                context.CurrentPath = path;
                await foreach (FileStatus entry in fs.EnumerateStatusAsync(path, parse.GetValue(recursive), ct))
                    context.Out.WriteLine(FileStatusText.LsLine(entry));
            }
        });
    }
}
