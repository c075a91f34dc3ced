using System.CommandLine;
using OrleansFs.Errors;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs rm [-R] PATH...`: removes files; directories only with -R, as `alluxio fs rm` does.</summary>
internal sealed class RmCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var recursive = new Option<bool>("-R", "-r", "--recursive") { Description = "remove directories and everything in them" };
        var paths = PathArguments.OneOrMore("files or directories to remove");
        var command = new Command("rm", "Remove files and directories") { recursive, paths };
        return command.WithAction(context, async (parse, ct) =>
        {
            context.CheckPaths(parse.GetValue(paths)!);
            var fs = await context.FileSystemAsync(parse, ct);
            bool r = parse.GetValue(recursive);
            foreach (string path in parse.GetValue(paths)!)
            {
                context.CurrentPath = path;
                if (!r && (await fs.GetStatusAsync(path, ct)).IsDirectory)
                    throw new FsException(FsErrorCode.IsADirectory, path, "is a directory (use rm -R)");
                await fs.DeleteAsync(path, r, ct);
                context.Out.WriteLine($"{path} has been removed");
            }
        });
    }
}
