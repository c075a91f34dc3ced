using System.CommandLine;
using OrleansFs.Cli.Output;
using OrleansFs.Files;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs du [-s] [-h] PATH...`: the size of each file below a path, or (-s) one total per path.</summary>
internal sealed class DuCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var summarize = new Option<bool>("-s", "--summarize") { Description = "one total per path" };
        var human = new Option<bool>("-h", "--human-readable") { Description = "sizes in KB, MB, GB" };
        var paths = PathArguments.OneOrMore("files or directories");
        var command = new Command("du", "Show the size of files and directories") { summarize, human, paths };
        return command.WithAction(context, async (parse, ct) =>
        {
            context.CheckPaths(parse.GetValue(paths)!);
            var fs = await context.FileSystemAsync(parse, ct);
            bool h = parse.GetValue(human);
            context.Out.WriteLine($"{"File Size",-15}Path");
            foreach (string path in parse.GetValue(paths)!)
            {
                context.CurrentPath = path;
                var files = await FilesBelowAsync(fs, path, ct);
                if (parse.GetValue(summarize))
                {
                    context.Out.WriteLine($"{FileStatusText.Bytes(files.Sum(f => f.Length), h),-15}{path}");
                    continue;
                }
                foreach (var file in files) context.Out.WriteLine($"{FileStatusText.Bytes(file.Length, h),-15}{file.Path}");
            }
        });
    }

    private static async Task<List<FileStatus>> FilesBelowAsync(OrleansFs.Client.IFileSystem fs, string path, CancellationToken ct)
    {
        var status = await fs.GetStatusAsync(path, ct);
        if (!status.IsDirectory) return [status];
        var files = (await fs.ListStatusAsync(path, recursive: true, ct)).Where(s => !s.IsDirectory).ToList();
        files.Sort(FileStatusText.TreeOrder);
        return files;
    }
}
