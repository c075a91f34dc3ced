using System.CommandLine;
using System.Globalization;
using OrleansFs.Cli.Output;
using OrleansFs.Files;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs stat PATH...`: everything the master knows about a path.</summary>
internal sealed class StatCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var paths = PathArguments.OneOrMore("files or directories");
        var command = new Command("stat", "Show a file's or directory's metadata") { paths };
        return command.WithAction(context, async (parse, ct) =>
        {
            context.CheckPaths(parse.GetValue(paths)!);
            var fs = await context.FileSystemAsync(parse, ct);
            foreach (string path in parse.GetValue(paths)!)
            {
                context.CurrentPath = path;
                Print(context.Out, await fs.GetStatusAsync(path, ct));
            }
        });
    }

    private static void Print(TextWriter output, FileStatus s)
    {
        output.WriteLine($"{s.Path} is a {(s.IsDirectory ? "directory" : "file")} path.");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FileInfo{{fileId={s.InodeId}, name={s.Name}, path={s.Path}, length={s.Length}, blockSizeBytes={s.BlockSizeBytes}, " +
            $"creationTime={FileStatusText.Date(s.CreationTime)}, lastModificationTime={FileStatusText.Date(s.LastModificationTime)}, " +
            $"completed={Lower(s.Completed)}, folder={Lower(s.IsDirectory)}, pinned={Lower(s.Pinned)}, ttl={s.TtlMs}, " +
            $"ttlAction={s.TtlAction.ToString().ToUpperInvariant()}, persistenceState={FileStatusText.State(s.PersistenceState)}, " +
            $"writeType={FileStatusText.WriteTypeName(s.WriteType)}, parentId={s.ParentId}, childCount={s.ChildCount}}}"));
        if (s.IsDirectory) return;
        output.WriteLine(s.BlockIds.Count == 0 ? "This file does not contain any blocks." : "Containing the following blocks:");
        foreach (long block in s.BlockIds) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BlockInfo{{id={block}}}"));
    }

    private static string Lower(bool value) => value ? "true" : "false";
}
