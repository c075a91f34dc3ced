using System.CommandLine;
using OrleansFs.Errors;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs mkdir [-p] PATH...`: without -p the parent must exist and the directory must not.</summary>
internal sealed class MkdirCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var parents = new Option<bool>("-p", "--parents") { Description = "create missing parents; an existing directory is fine" };
        var paths = PathArguments.OneOrMore("directories to create");
        var command = new Command("mkdir", "Create directories") { parents, paths };
        return command.WithAction(context, async (parse, ct) =>
        {
            context.CheckPaths(parse.GetValue(paths)!);
            var fs = await context.FileSystemAsync(parse, ct);
            bool p = parse.GetValue(parents);
            foreach (string path in parse.GetValue(paths)!)
            {
                context.CurrentPath = path;
                try
                {
                    await fs.CreateDirectoryAsync(path, p, ct);
                }
                catch (FsException e) when (p && e.Code == FsErrorCode.AlreadyExists)
                {
                    // -p accepts an existing directory, not an existing file.
                    if (!(await fs.GetStatusAsync(path, ct)).IsDirectory) throw;
                }
                context.Out.WriteLine($"Successfully created directory {path}");
            }
        });
    }
}
